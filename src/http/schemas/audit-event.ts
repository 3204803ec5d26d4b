import { Type } from "typebox";
import { AUDIT_TARGET_TYPES } from "../../domain/types.ts";
import { Timestamp } from "./common.ts";

export const AuditEventSchema = Type.Object(
  {
    event_id: Type.String(),
    action: Type.String({ description: "e.g. credential.created, credential.disabled" }),
    actor: Type.String({ description: 'Credential id that acted, or "operator"' }),
    target_type: Type.Enum(AUDIT_TARGET_TYPES),
    target_id: Type.String(),
    source_ip: Type.Optional(Type.String()),
    status_before: Type.Optional(Type.String()),
    status_after: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String({ description: "PARTNER, OPERATOR, INACTIVITY, ROTATED or LEAKED" })),
    occurred_at: Timestamp,
    details: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description:
          "Facts beyond the columns, never a secret: `credential.leaked` gives the report's `url` and `source` and the `token_hash` (SHA-256 hex) of the reported key",
      }),
    ),
  },
  { additionalProperties: false },
);
