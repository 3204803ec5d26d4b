import type { FastifyReply, FastifyRequest } from "fastify";
import type { SessionStage } from "../../../domain/console-user.ts";
import { whereNext } from "../../plugins/console-session.ts";

/**
 * A preHandler of the signing-in steps: the page of `stage` is for a session at that stage; any
 * other goes where it belongs (no session: the sign-in page; signed in: its accounts).
 */
export function requireStage(
  stage: Exclude<SessionStage, "SIGNED_IN">,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const session = request.consoleSession;
    if (session?.stage === stage) return;
    await reply.redirect(whereNext(session), 303);
  };
}

/** The token of the session `requireStage` let through. */
export function stageToken(request: FastifyRequest): string {
  const token = request.consoleSessionToken;
  if (!token) throw new Error("stageToken used without requireStage");
  return token;
}
