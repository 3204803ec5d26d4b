import { Type } from "typebox";
import { DESCRIPTION_PATTERN } from "../../domain/credential-rules.ts";
import { CREDENTIAL_STATUSES, CREDENTIAL_TYPES, STATUS_REASONS } from "../../domain/types.ts";
import { EnvironmentSchema, NextPageToken, Timestamp } from "./common.ts";
import { shared } from "./shared.ts";

export const DESCRIPTION_SCHEMA = Type.String({
  pattern: DESCRIPTION_PATTERN.source,
  maxLength: 100,
  description: "What the credential is for; letters, digits, space and - : ; . , _",
});

const CredentialObject = Type.Object(
  {
    credential_id: Type.String({ format: "uuid" }),
    type: Type.Enum(CREDENTIAL_TYPES),
    environment: EnvironmentSchema,
    description: Type.String(),
    status: Type.Enum(CREDENTIAL_STATUSES),
    status_reason: Type.Optional(Type.Enum(STATUS_REASONS)),
    created_at: Timestamp,
    created_by: Type.String({ description: 'Credential id that created it, or "operator"' }),
    last_used_at: Type.Optional(Timestamp),
    disabled_at: Type.Optional(Timestamp),
    expires_at: Type.Optional({ ...Timestamp, description: "End of a rotation's overlap" }),
    deleted_at: Type.Optional(Timestamp),
    rotated_from: Type.Optional(Type.String({ description: "The credential this one replaced" })),
    rotated_to: Type.Optional(Type.String({ description: "The credential that replaces this one" })),
    client_id: Type.Optional(Type.String({ description: "The public Client ID (CLIENT credentials)" })),
    permissions: Type.Optional(
      Type.Array(Type.String(), { description: "What the key may do; absent: everything" }),
    ),
  },
  { additionalProperties: false },
);

/** A credential as every answer shows it: never a secret. */
export const CredentialSchema = shared("Credential", CredentialObject);

/** A credential just created or rotated in: the API key is in this answer only. */
export const CreatedCredentialSchema = shared(
  "CreatedCredential",
  Type.Object(
    {
      ...CredentialObject.properties,
      api_key: Type.Optional(
        Type.String({ description: "The API key (API credentials); shown only in this response" }),
      ),
    },
    { additionalProperties: false },
  ),
);

export const CredentialIdParam = {
  credential_id: Type.String({ format: "uuid" }),
};

/** `?status=`: one status; DELETED lists the tombstones. */
export const CredentialStatusFilter = Type.Optional(Type.Enum(CREDENTIAL_STATUSES));

/** The filters of a partner's credential list (v1 adds `type`; v2 names it in the path). */
export const CredentialListFilters = {
  environment: Type.Optional(EnvironmentSchema),
  status: CredentialStatusFilter,
};

/** One page of a credential list, newest first. */
export const CredentialPageSchema = Type.Object({
  credentials: Type.Array(CredentialSchema),
  ...NextPageToken,
});
