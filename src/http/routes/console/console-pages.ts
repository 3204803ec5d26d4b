import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import type { SafeHtml } from "../../console/html.ts";
import { type ConsoleSection, consolePage } from "../../console/layout.ts";

/*
 * What every console route shares (signing in, accounts, users, operator and the account pages):
 * how a page is sent, Post/Redirect/Get with its notice, where a signed-in user starts, and how a
 * refusal of a service comes back to the form.
 */

/**
 * Sends a whole console document (`consolePage`) with `status` (200 by default), or with the status
 * and headers of `refusal`, the service's refusal the page shows.
 */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  input: {
    status?: number;
    refusal?: AppError | null;
    title: string;
    account?: Account;
    section?: ConsoleSection;
    body: SafeHtml;
  },
): FastifyReply {
  const { status, refusal, ...page } = input;
  if (refusal) reply.headers(refusal.headers);
  return reply
    .code(refusal?.status ?? status ?? 200)
    .type("text/html; charset=utf-8")
    .send(consolePage(request, page));
}

/** Post/Redirect/Get: 303 to `location`, with the notice's code in `done` when given. */
export function seeOther(reply: FastifyReply, location: string, done?: string): FastifyReply {
  const url = done
    ? `${location}${location.includes("?") ? "&" : "?"}done=${encodeURIComponent(done)}`
    : location;
  return reply.code(303).header("location", url).send();
}

/** A change's outcome: its value, or the service's refusal for the page to show. */
export type ChangeOutcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** A refusal decided before any service is called (a form field the service would not take). */
export function refused(error: AppError): { ok: false; error: AppError } {
  return { ok: false, error };
}

/** Runs a service call; an `AppError` (the API's refusal) is returned for the page to show. */
export async function attemptChange<T>(change: () => Promise<T>): Promise<ChangeOutcome<T>> {
  try {
    return { ok: true, value: await change() };
  } catch (error) {
    if (error instanceof AppError) return refused(error);
    throw error;
  }
}

/** A notice's text from its code in `done`, when the code is one the page knows. */
export function doneNotice(
  notices: Readonly<Record<string, string>>,
  done: string | undefined,
): string | null {
  return done !== undefined && Object.hasOwn(notices, done) ? (notices[done] ?? null) : null;
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
