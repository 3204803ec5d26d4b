import type { Kysely } from "kysely";
import type { ServiceToken } from "../../domain/types.ts";
import type { Store } from "../port.ts";
import { iso } from "./rows.ts";
import type { Database, ServiceTokensTable } from "./tables.ts";

export type ServiceTokenStore = Pick<
  Store,
  "insertServiceToken" | "findServiceTokenByHash" | "listServiceTokens" | "revokeServiceToken"
>;

function rowToServiceToken(r: ServiceTokensTable): ServiceToken {
  return {
    serviceTokenId: r.service_token_id,
    name: r.name,
    tokenHash: r.token_hash,
    createdAt: new Date(r.created_at),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
  };
}

/** Tokens of the provider's own services, by hash. */
export function serviceTokenStore(db: Kysely<Database>): ServiceTokenStore {
  return {
    async insertServiceToken(token) {
      await db
        .insertInto("service_tokens")
        .values({
          service_token_id: token.serviceTokenId,
          name: token.name,
          token_hash: token.tokenHash,
          created_at: iso(token.createdAt),
          revoked_at: token.revokedAt === null ? null : iso(token.revokedAt),
        })
        .execute();
    },

    async findServiceTokenByHash(tokenHash) {
      const row = await db
        .selectFrom("service_tokens")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row ? rowToServiceToken(row) : null;
    },

    async listServiceTokens() {
      const rows = await db
        .selectFrom("service_tokens")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("service_token_id", "desc")
        .execute();
      return rows.map(rowToServiceToken);
    },

    async revokeServiceToken(input) {
      await db
        .updateTable("service_tokens")
        .set({ revoked_at: iso(input.revokedAt) })
        .where("service_token_id", "=", input.serviceTokenId)
        .where("revoked_at", "is", null)
        .execute();
      const row = await db
        .selectFrom("service_tokens")
        .selectAll()
        .where("service_token_id", "=", input.serviceTokenId)
        .executeTakeFirst();
      return row ? rowToServiceToken(row) : null;
    },
  };
}
