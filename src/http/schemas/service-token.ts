import { type Static, Type } from "typebox";
import type { ServiceToken } from "../../domain/types.ts";
import { Timestamp } from "./common.ts";

export const ServiceTokenSchema = Type.Object({
  service_token_id: Type.String({ format: "uuid" }),
  name: Type.String(),
  status: Type.Enum(["ACTIVE", "REVOKED"]),
  created_at: Timestamp,
  revoked_at: Type.Optional(Timestamp),
});

export const ServiceTokenIdParam = Type.Object({
  service_token_id: Type.String({
    pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
  }),
});

export function presentServiceToken(token: ServiceToken): Static<typeof ServiceTokenSchema> {
  return {
    service_token_id: token.serviceTokenId,
    name: token.name,
    status: token.revokedAt === null ? "ACTIVE" : "REVOKED",
    created_at: token.createdAt.toISOString(),
    ...(token.revokedAt ? { revoked_at: token.revokedAt.toISOString() } : {}),
  };
}
