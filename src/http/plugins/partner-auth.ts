import type { FastifyRequest } from "fastify";
import { presentedApiKey } from "../../domain/authorization-header.ts";
import { AppError } from "../../domain/errors.ts";
import type { AccessPolicy } from "../../services/access-policy.ts";
import type { Authenticator } from "../../services/authenticator.ts";
import { clientCertificateSource, type TransportOptions } from "../transport.ts";
import type { App, Partner } from "../types.ts";

const UNAUTHORIZED = "Missing or invalid API key. Send it as: Authorization: Basic <api_key>";

export interface PartnerAuthOptions {
  authenticator: Authenticator;
  access: AccessPolicy;
  transport: TransportOptions;
  headerPrefix: string;
  /** Operator policy: Acquiring Partners should enforce mTLS; responses say when they have not. */
  mtlsRequiredFor: "none" | "acquiring_partners";
}

/**
 * Authenticates every request of the scope it is registered in, before the body is read, then
 * applies the account's access policy (mTLS enforcement, IP allow-list) and reports its status
 * headers. Every key failure looks the same to the caller: which check failed is not revealed.
 */
export function registerPartnerAuth(app: App, options: PartnerAuthOptions): void {
  const certificateOf = clientCertificateSource(options.transport);
  const mtlsHeader = `${options.headerPrefix}-Mtls-Verification-Status`;
  const ipHeader = `${options.headerPrefix}-Ip-Validation-Status`;
  const enforcementHeader = `${options.headerPrefix}-Mtls-Enforcement`;
  app.decorateRequest("partner", null);
  app.addHook("onRequest", async (request, reply) => {
    const key = presentedApiKey(request.headers.authorization);
    if (key === null) throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
    const outcome = await options.authenticator.authenticate(key, request.ip);
    if (outcome.result !== "VALID") {
      request.log.info({ auth: outcome.result }, "authentication failed");
      throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
    }
    const { account } = outcome;
    const decision = await options.access.evaluate({
      account,
      sourceIp: request.ip,
      presentedCertificate: certificateOf(request),
    });
    if (decision.mtlsStatus) reply.header(mtlsHeader, decision.mtlsStatus);
    if (decision.ipStatus) reply.header(ipHeader, decision.ipStatus);
    if (
      options.mtlsRequiredFor === "acquiring_partners" &&
      account.kind === "ACQUIRING_PARTNER" &&
      account.security.mtlsEnforcedFrom === null
    ) {
      reply.header(enforcementHeader, "REQUIRED_NOT_ENFORCED");
    }
    if (decision.denial) {
      request.log.info({ access: decision.denial.code }, "access policy denied the request");
      throw decision.denial;
    }
    request.partner = { account, credential: outcome.credential, mtlsStatus: decision.mtlsStatus };
  });
}

/** The authenticated caller; routes of the partner scope only run after authentication. */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
  return request.partner;
}
