import type { FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleSession } from "../../../domain/console-user.ts";
import { AppError } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import type { SafeHtml } from "../../console/html.ts";
import { type ConsoleSection, consolePage } from "../../console/layout.ts";

/*
 * What the console's own pages (signing in, accounts, users, operator) share: how a page is sent,
 * where a signed-in user starts, and how a refusal of a service comes back to the form.
 */

/** Console pages are not in the API's reference. */
export const HIDDEN = { hide: true } as const;

/** Sends a whole console document with this status. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { status?: number; title: string; account?: Account; section?: ConsoleSection; body: SafeHtml },
): FastifyReply {
  const { status = 200, ...page } = input;
  return reply.code(status).type("text/html; charset=utf-8").send(consolePage(request, page));
}

/** Post/Redirect/Get: 303 to `location`, with the notice's code in `done` when given. */
export function seeOther(reply: FastifyReply, location: string, done?: string): FastifyReply {
  const url = done
    ? `${location}${location.includes("?") ? "&" : "?"}done=${encodeURIComponent(done)}`
    : location;
  return reply.code(303).header("location", url).send();
}

/** Where a signed-in user starts: operators at the account search, everyone else at their accounts. */
export function homeOf(session: ConsoleSession): string {
  return session.user.role === "operator" ? "/console/operator" : "/console/accounts";
}

/** Runs a service call; an `AppError` (the API's refusal) is returned for the page to show. */
export async function attemptChange<T>(
  change: () => Promise<T>,
): Promise<{ value: T } | { error: AppError }> {
  try {
    return { value: await change() };
  } catch (error) {
    if (error instanceof AppError) return { error };
    throw error;
  }
}

/** A query parameter as a single string ("" when absent or repeated). */
export function queryField(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value.trim() : "";
}

/** A path parameter as a string ("" when absent). */
export function pathParam(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
}
