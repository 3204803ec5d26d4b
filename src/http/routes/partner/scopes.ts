import type { FastifyRequest } from "fastify";
import { type TObject, type TProperties, Type } from "typebox";
import { environmentsOfKey } from "../../../domain/environment-rules.ts";
import type { Account } from "../../../domain/types.ts";
import type { RequestContext } from "../../../services/runtime.ts";
import { partnerOf } from "../../plugins/partner-auth.ts";
import { AccountIdParam } from "../../schemas/common.ts";

/**
 * Every account-level endpoint exists twice: on the caller's own account (`/v1/account/…`) and,
 * for an Acquiring Partner, on a Partner Account it manages (`/v1/accounts/{account_id}/…`).
 */
export interface AccountScope {
  prefix: string;
  tag: string;
  operationId(base: string): string;
  params<P extends TProperties>(properties: P): TObject<P>;
}

export const ACCOUNT_SCOPES: readonly AccountScope[] = [
  {
    prefix: "/v1/account",
    tag: "Own account",
    operationId: (base) => base,
    params: (properties) => Type.Object(properties, { additionalProperties: false }),
  },
  {
    prefix: "/v1/accounts/:account_id",
    tag: "Partner Accounts",
    operationId: (base) =>
      base.endsWith("Account")
        ? base.replace(/Account$/, "PartnerAccount")
        : base.replace(/^([a-z]+)/, "$1PartnerAccount"),
    params: (properties) =>
      Type.Object({ ...AccountIdParam.properties, ...properties }, { additionalProperties: false }) as never,
  },
];

/**
 * The v2 reference's paths for the same operations (`/v2/account/integration/…`, and the path form
 * for a Partner Account), served by the same services with v2's status codes.
 */
export const V2_ACCOUNT_SCOPES: readonly AccountScope[] = ACCOUNT_SCOPES.map((scope) => ({
  ...scope,
  prefix: `${scope.prefix.replace(/^\/v1\//, "/v2/")}/integration`,
  tag: `${scope.tag} (v2)`,
  operationId: (base) => `${scope.operationId(base)}V2`,
}));

/** The v2 paths name the credential type: `…/credentials/api-key`, `…/credentials/client-identifier`. */
export const V2_CREDENTIAL_KINDS = [
  { segment: "api-key", type: "API", name: "ApiKey", label: "API key" },
  { segment: "client-identifier", type: "CLIENT", name: "ClientIdentifier", label: "Client ID" },
] as const;

/**
 * The account the request acts on: the caller's own, or the Partner Account named by the path or
 * the Partner-Account header, already resolved (and refused as "not found" if foreign) by the
 * authorization.
 */
export function targetAccount(request: FastifyRequest): Account {
  const partner = partnerOf(request);
  return partner.managed ?? partner.account;
}

export function contextOf(request: FastifyRequest): RequestContext {
  const partner = partnerOf(request);
  return {
    actor: { kind: "credential", credentialId: partner.credential.credentialId },
    sourceIp: partner.sourceIp,
    environments: environmentsOfKey(partner.credential.environment),
    permissions: partner.credential.permissions,
    idempotency: request.idempotencyReservation,
  };
}
