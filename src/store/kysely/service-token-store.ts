import type { Kysely } from "kysely";
import type { ServiceToken } from "../../domain/types.ts";
import { iso } from "./rows.ts";
import type { Database, ServiceTokensTable } from "./tables.ts";

function rowToServiceToken(r: ServiceTokensTable): ServiceToken {
  return {
    serviceTokenId: r.service_token_id,
    name: r.name,
    tokenHash: r.token_hash,
    createdAt: new Date(r.created_at),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
  };
}

/** The service-token part of the Kysely store: tokens of the provider's own services, by hash. */
export class KyselyServiceTokenStore {
  protected readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async insertServiceToken(token: ServiceToken): Promise<void> {
    await this.db
      .insertInto("service_tokens")
      .values({
        service_token_id: token.serviceTokenId,
        name: token.name,
        token_hash: token.tokenHash,
        created_at: iso(token.createdAt),
        revoked_at: token.revokedAt === null ? null : iso(token.revokedAt),
      })
      .execute();
  }

  async findServiceTokenByHash(tokenHash: string): Promise<ServiceToken | null> {
    const row = await this.db
      .selectFrom("service_tokens")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    return row ? rowToServiceToken(row) : null;
  }

  async listServiceTokens(): Promise<ServiceToken[]> {
    const rows = await this.db
      .selectFrom("service_tokens")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("service_token_id", "desc")
      .execute();
    return rows.map(rowToServiceToken);
  }

  async revokeServiceToken(input: { serviceTokenId: string; revokedAt: Date }): Promise<ServiceToken | null> {
    await this.db
      .updateTable("service_tokens")
      .set({ revoked_at: iso(input.revokedAt) })
      .where("service_token_id", "=", input.serviceTokenId)
      .where("revoked_at", "is", null)
      .execute();
    const row = await this.db
      .selectFrom("service_tokens")
      .selectAll()
      .where("service_token_id", "=", input.serviceTokenId)
      .executeTakeFirst();
    return row ? rowToServiceToken(row) : null;
  }
}
