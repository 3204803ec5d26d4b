import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppError } from "../../../domain/errors.ts";
import { rateLimited } from "../../../domain/rate-limit.ts";
import type { FailureThrottle } from "../../../services/failure-throttle.ts";
import { sendError } from "../../plugins/error-handler.ts";
import { linkErrorPage, PAGE_HEADERS } from "./pages.ts";

export const OnboardingTokenParam = Type.Object({ token: Type.String() });

/** Whether the client prefers JSON to HTML, by the q-values of its Accept header. */
export function wantsJson(request: FastifyRequest): boolean {
  const quality = (type: string): number => {
    let best = 0;
    for (const part of (request.headers.accept ?? "").split(",")) {
      const [range = "", ...params] = part.trim().toLowerCase().split(";");
      if (range.trim() !== type) continue;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      best = Math.max(best, q === undefined ? 1 : Number(q.slice(2)) || 0);
    }
    return best;
  };
  const json = quality("application/json");
  return json > 0 && json >= quality("text/html");
}

/**
 * Link failures as a readable page for people, or the contract's error body for programs. Unknown
 * tokens are guesses until proven otherwise: past `LINK_FAILURES_PER_IP` from one address they get
 * 429 (real links keep working from there).
 */
export async function sendLinkError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  guard: FailureThrottle,
): Promise<FastifyReply> {
  const refusal = error.code === "NOT_FOUND" ? await guard.failed(request.clientAddress) : null;
  if (refusal) error = rateLimited(refusal, "unknown links from this address");
  if (wantsJson(request)) return sendError(reply, error);
  const title =
    error.code === "NOT_FOUND"
      ? "Link not found"
      : error.code === "RATE_LIMITED"
        ? "Too many attempts"
        : "Link no longer valid";
  return reply
    .code(error.status)
    .headers(error.headers)
    .headers(PAGE_HEADERS)
    .send(linkErrorPage({ title, message: error.message }));
}
