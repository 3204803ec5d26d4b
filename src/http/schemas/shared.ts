import { type Static, type TSchema, Type } from "typebox";
import type { App } from "../types.ts";

const registry = new Map<string, TSchema>();

/**
 * A schema every route refers to by name: registered once per app (`registerSharedSchemas`), it is
 * one component of the OpenAPI document instead of a copy in every response.
 */
export function shared<T extends TSchema>(id: string, schema: T): ReturnType<typeof Type.Unsafe<Static<T>>> {
  registry.set(id, schema);
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}

/** Adds the named schemas to an app, before its routes refer to them. */
export function registerSharedSchemas(app: App): void {
  for (const [id, schema] of registry) app.addSchema({ ...schema, $id: id });
}
