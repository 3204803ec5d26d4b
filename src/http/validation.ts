import AjvCompiler, { type Options as AjvOptions } from "@fastify/ajv-compiler";
import type { FastifyServerOptions } from "fastify";

const compilerFromPool = AjvCompiler();
const common: AjvOptions = { removeAdditional: false, allErrors: true, useDefaults: true };

/**
 * Bodies are validated strictly (a number is not a string); query strings and path parameters
 * arrive as text and are coerced to their declared types.
 */
export const schemaController: NonNullable<FastifyServerOptions["schemaController"]> = {
  compilersFactory: {
    buildValidator(externalSchemas, options) {
      const build = (coerceTypes: AjvOptions["coerceTypes"]) =>
        compilerFromPool(externalSchemas, {
          ...options,
          customOptions: { ...options?.customOptions, ...common, coerceTypes },
        } as Parameters<typeof compilerFromPool>[1]);
      const strict = build(false);
      const coercing = build("array");
      return (route) => (route.httpPart === "body" ? strict(route) : coercing(route));
    },
  },
};
