import type { FastifyRequest } from "fastify";
import { type TObject, type TProperties, Type } from "typebox";
import type { Account } from "../../../domain/types.ts";
import type { AccountService } from "../../../services/accounts.ts";
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

/** The account the request acts on; a foreign or unknown account id is "not found". */
export async function targetAccount(request: FastifyRequest, accounts: AccountService): Promise<Account> {
  const partner = partnerOf(request);
  const accountId = (request.params as { account_id?: string }).account_id;
  if (accountId === undefined) return partner.account;
  return partner.managed ?? accounts.resolveManaged(partner.account, accountId);
}

export function contextOf(request: FastifyRequest): RequestContext {
  return {
    actor: { kind: "credential", credentialId: partnerOf(request).credential.credentialId },
    sourceIp: request.ip,
  };
}
