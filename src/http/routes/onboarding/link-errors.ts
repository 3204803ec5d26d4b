import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppError } from "../../../domain/errors.ts";
import { sendError } from "../../plugins/error-handler.ts";
import { linkErrorPage, PAGE_HEADERS } from "./pages.ts";

export const OnboardingTokenParam = Type.Object({ token: Type.String() });

export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("application/json");
}

/** Link failures as a readable page for people, or the contract's error body for programs. */
export function sendLinkError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (wantsJson(request)) return sendError(reply, error);
  const title = error.code === "NOT_FOUND" ? "Link not found" : "Link no longer valid";
  return reply
    .code(error.status)
    .headers(PAGE_HEADERS)
    .send(linkErrorPage({ title, message: error.message }));
}
