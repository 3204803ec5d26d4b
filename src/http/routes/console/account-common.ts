import type { FastifyReply, FastifyRequest } from "fastify";
import { type TProperties, Type } from "typebox";
import type { ConsoleCapability } from "../../../domain/console-roles.ts";
import { roleMay } from "../../../domain/console-roles.ts";
import { AppError } from "../../../domain/errors.ts";
import { pathSegment } from "../../console/forms.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import { consoleSessionOf } from "../../plugins/console-session.ts";
import { toAppError } from "../../plugins/error-handler.ts";

/*
 * What the account pages' routes share: their paths, the form bodies (the API's fields plus the
 * CSRF token), and how a refusal of the service comes back to the page beside its form.
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
 * What the API would have answered to the same fields, when the schema refused them (the routes
 * validate with `attachValidation`, so the page can show it beside the form); null when valid.
 */
export function validationProblem(request: FastifyRequest): AppError | null {
  const failed = request.validationError;
  if (!failed) return null;
  return toAppError(failed) ?? new AppError("VALIDATION_ERROR", "The request could not be read");
}

/** Runs a change through its service; an `AppError` comes back as the problem of `form`. */
export async function attempt<T>(
  form: string,
  change: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; problem: FormProblem }> {
  try {
    return { ok: true, value: await change() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, problem: { form, error } };
    throw error;
  }
}

/** Whether the signed-in user's role may do what `capability` covers (buttons are shown only then). */
export function userMay(request: FastifyRequest, capability: ConsoleCapability): boolean {
  return roleMay(consoleSessionOf(request).user.role, capability);
}

/** After a change: back to the page (Post/Redirect/Get), with the notice's code in `done`. */
export { seeOther } from "./console-pages.ts";

/** A whole console document with its status. */
export function sendDocument(reply: FastifyReply, status: number, document: string): FastifyReply {
  return reply.code(status).type("text/html; charset=utf-8").send(document);
}

/** The status a page answers with: the refusal's (as the API's), or 200. */
export function statusOf(problem: FormProblem | null | undefined): number {
  return problem ? problem.error.status : 200;
}

/** A notice's text from its code in `done`, when the code is one the page knows. */
export function doneNotice(
  notices: Readonly<Record<string, string>>,
  done: string | undefined,
): string | null {
  return done !== undefined && Object.hasOwn(notices, done) ? (notices[done] ?? null) : null;
}

/** A GET form sends an empty value for "any": the same as leaving the filter out. */
export async function dropEmptyQueryValues(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return;
  for (const name of Object.keys(query)) if (query[name] === "") delete query[name];
}

/** The notice code after a change (`?done=…`), and nothing else, on a page's query. */
export const DoneQuery = { done: Type.Optional(Type.String({ maxLength: 40 })) };

/** A text field of the posted form as it was typed (for the form shown again), whatever else came. */
export function enteredText(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body?.[name];
  return typeof value === "string" ? value : undefined;
}
