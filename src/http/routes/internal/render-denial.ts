import type { FastifyReply, FastifyRequest } from "fastify";
import { invalidParameter } from "../../../domain/errors.ts";
import { ALL_METHODS } from "../../transport.ts";
import type { App } from "../../types.ts";
import { decodeDenial, NO_DENIAL } from "./denial.ts";

/**
 * Renders a forward-auth refusal carried in `X-<Brand>-Auth-Denial`: nginx's `error_page` sends the
 * partner's failed request here, so the partner gets the real status (429 included), headers and
 * body although `auth_request` itself only passes 401 and 403. Without a carried refusal the auth
 * request itself failed (no answer, or our own error): the partner is told to retry (503). A
 * carried value this service did not write is refused (400).
 */
export function renderDenial(app: App, options: { headerPrefix: string }): void {
  const header = `x-${options.headerPrefix.toLowerCase()}-auth-denial`;
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const value = request.headers[header];
    if (value === undefined || value === "") throw NO_DENIAL;
    const denial = decodeDenial(typeof value === "string" ? value : undefined);
    if (!denial)
      throw invalidParameter(`X-${options.headerPrefix}-Auth-Denial`, "is not a refusal this service wrote");
    return reply
      .code(denial.status)
      .headers(denial.headers)
      .type("application/json; charset=utf-8")
      .send(denial.body);
  };
  app.route({ method: ALL_METHODS, url: "/internal/v1/denial", schema: { hide: true }, handler });
}
