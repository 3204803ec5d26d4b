import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppError } from "../../../domain/errors.ts";
import { rateLimited } from "../../../domain/rate-limit.ts";
import { formError } from "../../console/forms.ts";
import { html } from "../../console/html.ts";
import { consoleClientAddress } from "../../plugins/console-session.ts";
import type { AppServices } from "../../types.ts";
import { sendPage } from "./console-pages.ts";

/**
 * An invitation link that cannot be used, as a page with the API's status (404, 410). Unknown
 * tokens count against the address like unknown onboarding links: past the limit, 429.
 */
export async function sendInvitationError(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  error: AppError,
): Promise<FastifyReply> {
  const refusal =
    error.code === "NOT_FOUND" ? await services.linkGuard.failed(consoleClientAddress(request)) : null;
  const shown = refusal ? rateLimited(refusal, "unknown links from this address") : error;
  const title =
    shown.code === "NOT_FOUND"
      ? "Invitation not found"
      : shown.code === "RATE_LIMITED"
        ? "Too many attempts"
        : "Invitation no longer valid";
  return sendPage(request, reply, {
    refusal: shown,
    title,
    body: html`<div class="narrow"><h1>${title}</h1>${formError(shown)}<p>Already set your password? <a href="/console/sign-in">Sign in</a>.</p></div>`,
  });
}
