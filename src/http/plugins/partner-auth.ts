import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { isMtlsSetupRoute } from "../../domain/mtls-policy.ts";
import { neededFor } from "../../domain/permissions.ts";
import { statusHeaders } from "../../services/authorization-headers.ts";
import { type RequestAuthorizer, UNAUTHORIZED_MESSAGE } from "../../services/request-authorizer.ts";
import { appendRouteHook } from "../route-hooks.ts";
import {
  clientAddressSource,
  clientCertificateSource,
  partnerAccountHeaderSource,
  type TransportOptions,
} from "../transport.ts";
import type { App, Partner } from "../types.ts";

export interface PartnerAuthOptions {
  authorizer: RequestAuthorizer;
  transport: TransportOptions;
  headerPrefix: string;
}

/**
 * Authorizes every request of the scope it is registered in, before the body is read, with the
 * same decision as every other entry point, and reports its status headers.
 */
export function registerPartnerAuth(app: App, options: PartnerAuthOptions): void {
  const certificateOf = clientCertificateSource(options.transport);
  const addressOf = clientAddressSource(options.transport);
  const partnerAccountOf = partnerAccountHeaderSource(options.headerPrefix);
  app.decorateRequest("partner", null);

  /** Authorizes one request of a route, given what the route needs (worked out when it was added). */
  const authorized = async (
    request: FastifyRequest,
    reply: FastifyReply,
    needs: RouteNeeds,
  ): Promise<void> => {
    const sourceIp = addressOf(request);
    const decision = await options.authorizer.authorize({
      entry: "api",
      authorization: request.headers.authorization,
      partnerAccount: partnerAccountOf(request),
      pathAccountId: (request.params as { account_id?: string } | undefined)?.account_id,
      clientCertificate: certificateOf(request),
      sourceIp,
      category: "PARTNER_MANAGEMENT",
      permission: needs.permission,
      mtlsSetup: needs.mtlsSetup,
    });
    reply.headers(statusHeaders(decision, options.headerPrefix));
    if (decision.outcome !== "ALLOWED") {
      request.log.info({ auth: decision.keyResult ?? decision.outcome }, "request not authorized");
      throw decision.error;
    }
    request.partner = {
      account: decision.caller,
      credential: decision.credential,
      mtlsStatus: decision.mtlsStatus,
      managed: decision.managed,
      sourceIp,
    };
  };

  // A route-level hook per route of the scope, with the route's permission and mTLS rule.
  app.addHook("onRoute", (route) => {
    const byMethod = new Map<string, RouteNeeds>();
    const needsOf = (method: string): RouteNeeds => {
      let needs = byMethod.get(method);
      if (!needs) {
        needs = { permission: neededFor(method, route.url), mtlsSetup: isMtlsSetupRoute(method, route.url) };
        byMethod.set(method, needs);
      }
      return needs;
    };
    for (const method of [route.method].flat()) needsOf(method);
    const hook = (request: FastifyRequest, reply: FastifyReply): Promise<void> =>
      authorized(request, reply, needsOf(request.method));
    appendRouteHook(route, "onRequest", hook);
  });
}

interface RouteNeeds {
  permission: string;
  mtlsSetup: boolean;
}

/** The authenticated caller; routes of the partner scope only run after authentication. */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new AppError("UNAUTHORIZED", UNAUTHORIZED_MESSAGE);
  return request.partner;
}
