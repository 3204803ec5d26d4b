import type { FastifyRequest } from "fastify";
import { type TObject, type TOptional, type TProperties, type TSchema, type TString, Type } from "typebox";
import type { ConsoleCapability } from "../../../domain/console-roles.ts";
import { roleMay } from "../../../domain/console-roles.ts";
import { AppError } from "../../../domain/errors.ts";
import { pathSegment } from "../../console/forms.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import { consoleSessionOf, requireConsole } from "../../plugins/console-session.ts";
import { toAppError } from "../../plugins/error-handler.ts";
import { attemptChange, refused } from "./console-pages.ts";

/*
 * What the account pages' routes share: their paths, the form bodies (the API's fields plus the
 * CSRF token) and route options, and how a refusal (of the schema or of the service) comes back
 * to the page beside its form.
 */

/** `/console/accounts/{account_id}/{rest}`, the id encoded as every console path encodes it. */
export function accountPath(accountId: string, rest: string): string {
  return `/console/accounts/${pathSegment(accountId)}/${rest}`;
}

export const AccountParams = Type.Object(
  { account_id: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** The account's path parameter and another one (a credential id, say). */
export function accountParamsWith<P extends TProperties>(properties: P) {
  return Type.Object({ ...AccountParams.properties, ...properties }, { additionalProperties: false });
}

/** A form's body: the fields the API takes (with its schemas), and the CSRF token. */
export function formBody<P extends TProperties>(properties: P) {
  return Type.Object({ ...properties, _csrf: Type.Optional(Type.String()) }, { additionalProperties: false });
}

/**
 * A form's route options: the path parameters and the body (`formBody`) are validated with
 * `attachValidation`, so that the page shows a refusal beside the form (`attemptForm`), for users
 * whose role may do `capability`.
 */
export function formRoute<P extends TSchema, B extends TSchema>(
  capability: ConsoleCapability,
  schema: { params: P; body: B },
): {
  schema: { params: P; body: B };
  attachValidation: true;
  preHandler: ReturnType<typeof requireConsole>;
} {
  return { schema, attachValidation: true, preHandler: requireConsole(capability) };
}

/** The token of a listing's next page, as the page's "Next page" link carries it. */
export const PageTokenQuery: { page_token: TOptional<TString> } = {
  page_token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
};

/**
 * A filtered listing's route options (every role may read it): the GET form's `filters` and the
 * page token, empty values dropped and any other parameter refused, validated with
 * `attachValidation` so that the page can say why it lists without them.
 */
export function filtersRoute<Q extends TProperties>(
  filters: Q,
): {
  schema: { params: typeof AccountParams; querystring: TObject<Q & typeof PageTokenQuery> };
  attachValidation: true;
  preValidation: typeof dropEmptyQueryValues;
  preHandler: ReturnType<typeof requireConsole>;
} {
  return {
    schema: {
      params: AccountParams,
      querystring: Type.Object({ ...filters, ...PageTokenQuery }, { additionalProperties: false }),
    },
    attachValidation: true,
    preValidation: dropEmptyQueryValues,
    preHandler: requireConsole("read"),
  };
}

/**
 * What the API would have answered to the same fields, when the schema refused them (the routes
 * validate with `attachValidation`, so the page can show it beside the form); null when valid.
 */
export function validationProblem(request: FastifyRequest): AppError | null {
  const failed = request.validationError;
  if (!failed) return null;
  return toAppError(failed) ?? new AppError("VALIDATION_ERROR", "The request could not be read");
}

/**
 * A form's change: refused as the API would refuse the same fields when the schema did
 * (`validationProblem`), else run through its service (`attemptChange`); a refusal comes back as
 * the problem of `form`, to be shown beside it.
 */
export async function attemptForm<T>(
  request: FastifyRequest,
  form: string,
  change: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; problem: FormProblem }> {
  const invalid = validationProblem(request);
  const outcome = invalid ? refused(invalid) : await attemptChange(change);
  return outcome.ok ? outcome : { ok: false, problem: { form, error: outcome.error } };
}

/** Whether the signed-in user's role may do what `capability` covers (buttons are shown only then). */
export function userMay(request: FastifyRequest, capability: ConsoleCapability): boolean {
  return roleMay(consoleSessionOf(request).user.role, capability);
}

/** The status a page answers with: the refusal's (as the API's), or 200. */
export function statusOf(problem: FormProblem | null | undefined): number {
  return problem ? problem.error.status : 200;
}

/** A GET form sends an empty value for "any": the same as leaving the filter out. */
export async function dropEmptyQueryValues(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return;
  for (const name of Object.keys(query)) if (query[name] === "") delete query[name];
}

/** The notice code after a change (`?done=…`), and nothing else, on a page's query. */
export const DoneQuery = { done: Type.Optional(Type.String({ maxLength: 40 })) };
