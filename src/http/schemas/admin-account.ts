import { type Static, Type } from "typebox";
import { mtlsEnforcementStatus } from "../../domain/mtls-lockout.ts";
import { type Account, CREDENTIAL_STATUSES, type CredentialStatus } from "../../domain/types.ts";
import { presentAccountProfile, presentIpRestriction } from "../presenters.ts";
import { AccountProfileFields } from "./account.ts";
import { Timestamp } from "./common.ts";
import { IpRestrictionSchema } from "./security.ts";

export const SUSPENSION_REASON_SCHEMA = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: "^(?=.*\\S)[^\\u0000-\\u001f\\u007f]+$",
  description: "Why, for the audit trail: 1 to 200 printable characters (never a key)",
});

const SuspensionFields = {
  status: Type.Enum(["ACTIVE", "SUSPENDED"], {
    description: "SUSPENDED: every key of the account is refused (401) until an operator resumes it",
  }),
  suspended_at: Type.Optional(Timestamp),
  suspended_reason: Type.Optional(Type.String()),
};

export const AccountSuspensionSchema = Type.Object(
  {
    account_id: Type.String(),
    ...SuspensionFields,
    changed: Type.Boolean({
      description: "false when the account already was as asked (nothing changed, no audit event)",
    }),
  },
  { additionalProperties: false },
);

export const RateLimitsByCategory = Type.Record(
  Type.String(),
  Type.Object({
    limit: Type.String({ description: "requests/window, e.g. 50/1s" }),
    source: Type.Enum(["default", "override"]),
  }),
);

/** What support needs to see of one account, on one page. */
export const AdminAccountSchema = Type.Object(
  {
    account_id: Type.String(),
    ...AccountProfileFields,
    created_by: Type.String(),
    ...SuspensionFields,
    mtls: Type.Object(
      {
        enabled: Type.Boolean({ description: "The account has been issued a client certificate" }),
        status: Type.Enum(["NOT_ENFORCED", "SCHEDULED", "ENFORCED"]),
        enforced_from: Type.Optional(Timestamp),
        enforced_now: Type.Boolean(),
        scheduled: Type.Boolean({ description: "Enforcement is set for a time still ahead" }),
        valid_certificates: Type.Integer({ description: "Certificates not revoked and within validity" }),
      },
      { additionalProperties: false },
    ),
    ip_restriction: IpRestrictionSchema,
    rate_limits: RateLimitsByCategory,
    credentials: Type.Object(
      Object.fromEntries(CREDENTIAL_STATUSES.map((status) => [status, Type.Integer()])) as Record<
        CredentialStatus,
        ReturnType<typeof Type.Integer>
      >,
      { additionalProperties: false, description: "How many credentials the account holds, by status" },
    ),
  },
  { additionalProperties: false },
);

const time = (date: Date | null | undefined): string | undefined => date?.toISOString();

interface SuspensionView {
  status: "ACTIVE" | "SUSPENDED";
  suspended_at?: string;
  suspended_reason?: string;
}

function suspensionOf(account: Account): SuspensionView {
  const suspension = account.suspension;
  return {
    status: suspension ? "SUSPENDED" : "ACTIVE",
    ...(suspension ? { suspended_at: suspension.at.toISOString() } : {}),
    ...(suspension?.reason ? { suspended_reason: suspension.reason } : {}),
  };
}

export function presentSuspension(
  account: Account,
  changed: boolean,
): Static<typeof AccountSuspensionSchema> {
  return { account_id: account.accountId, ...suspensionOf(account), changed };
}

export function presentAdminAccount(
  account: Account,
  facts: {
    now: Date;
    validCertificates: number;
    rateLimits: Static<typeof RateLimitsByCategory>;
    credentials: Record<CredentialStatus, number>;
  },
): Static<typeof AdminAccountSchema> {
  const from = account.security.mtlsEnforcedFrom;
  const status = mtlsEnforcementStatus(from, facts.now);
  return {
    account_id: account.accountId,
    ...presentAccountProfile(account),
    created_by: account.createdBy,
    ...suspensionOf(account),
    mtls: {
      enabled: account.security.mtlsEnabled,
      status,
      ...(from ? { enforced_from: time(from) } : {}),
      enforced_now: status === "ENFORCED",
      scheduled: status === "SCHEDULED",
      valid_certificates: facts.validCertificates,
    },
    ip_restriction: presentIpRestriction(account),
    rate_limits: facts.rateLimits,
    credentials: facts.credentials,
  };
}
