import { type Kysely, sql } from "kysely";
import {
  CREDENTIAL_STATUSES,
  type CredentialStatus,
  type CredentialType,
  type Environment,
} from "../../domain/types.ts";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { coalescedReads } from "./coalesced-reads.ts";
import { type CompiledRunner, compiledQuery, type DirectReader } from "./compiled-query.ts";
import { disableIfActive } from "./credential-disable.ts";
import { markApplied } from "./idempotency-mark.ts";
import { keysetPage } from "./keyset.ts";
import { credentialToRow, iso, rowToCredential } from "./rows.ts";
import type { CredentialsTable, Database } from "./tables.ts";

export type CredentialStore = Pick<
  Store,
  | "insertCredential"
  | "findCredentialByLookupId"
  | "findCredential"
  | "viewCredential"
  | "listCredentials"
  | "viewCredentials"
  | "countCredentialsByStatus"
  | "updateCredentialDescription"
  | "disableActiveCredential"
  | "enableDisabledCredential"
  | "rotateCredential"
  | "recordCredentialUses"
>;

/**
 * Credentials: creation under the account's cap, the lookup of every authentication, listing, the
 * guarded status changes, rotation, and the batched last-use write.
 */
export function credentialStore(
  db: Kysely<Database>,
  direct?: { db: Kysely<Database>; read: DirectReader },
): CredentialStore {
  const byLookupId = compiledQuery(
    1,
    (lookupId: string) => db.selectFrom("credentials").selectAll().where("lookup_id", "=", lookupId),
    direct,
  );
  /**
   * The lookup of every authentication that missed the cache. Over a network store (no direct
   * reads), lookups asked for at the same time share a query (coalesced-reads.ts); on SQLite a read
   * is a synchronous call that costs less than a batch would save.
   */
  const lookup = direct
    ? async (lookupId: string) => (await byLookupId(db, lookupId))[0]
    : coalescedReads(async (lookupIds) => {
        const rows =
          lookupIds.length === 1
            ? await byLookupId(db, lookupIds[0] as string)
            : await db.selectFrom("credentials").selectAll().where("lookup_id", "in", lookupIds).execute();
        return new Map(rows.map((row) => [row.lookup_id, row]));
      });
  const byId = compiledQuery(
    2,
    (accountId: string, credentialId: string) =>
      db
        .selectFrom("credentials")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("credential_id", "=", credentialId),
    direct,
  );
  const listPage = credentialPages(db, direct);
  const recordUse = compiledQuery(3, (credentialId: string, at: string, sourceIp: string | null) =>
    db
      .updateTable("credentials")
      .set({
        last_used_at: at,
        last_used_ip: sourceIp,
        activity_at: sql<string>`case when activity_at < ${at} then ${at} else activity_at end`,
      })
      .where("credential_id", "=", credentialId)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)])),
  );
  const findCredential = async (accountId: string, credentialId: string) => {
    const [row] = await byId(db, accountId, credentialId);
    return row ? rowToCredential(row) : null;
  };
  const listCredentials = async (query: Parameters<Store["listCredentials"]>[0]) =>
    (await listPage(query)).map(rowToCredential);
  return {
    async insertCredential(input) {
      const { credential } = input;
      return db
        .transaction()
        .execute(async (trx) => {
          // The audit append locks the account row first, so concurrent creations count one at a time.
          await appendAudit(trx, input.audit);
          if (input.activeAtMost !== undefined) {
            const { active } = await trx
              .selectFrom("credentials")
              .select((eb) => eb.fn.countAll<number>().as("active"))
              .where("account_id", "=", credential.accountId)
              .where("type", "=", credential.type)
              .where("environment", "=", credential.environment)
              .where("status", "=", "ACTIVE")
              .executeTakeFirstOrThrow();
            // Rolls the audit event back with it.
            if (Number(active) >= input.activeAtMost) throw new CapReached();
          }
          await trx.insertInto("credentials").values(credentialToRow(credential, input.secret)).execute();
          await markApplied(trx, input.idempotency);
          return true;
        })
        .catch((error: unknown) => {
          if (error instanceof CapReached) return false;
          throw error;
        });
    },

    async findCredentialByLookupId(lookupId) {
      const row = await lookup(lookupId);
      if (!row) return null;
      const secret =
        row.secret_hash !== null && row.pepper_version !== null
          ? { hash: row.secret_hash, pepperVersion: row.pepper_version }
          : null;
      return { credential: rowToCredential(row), secret };
    },

    findCredential,
    // Without a cache in front, the reads for showing are the fresh ones.
    viewCredential: findCredential,

    listCredentials,
    viewCredentials: listCredentials,

    async countCredentialsByStatus(accountId) {
      const rows = await db
        .selectFrom("credentials")
        .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
        .where("account_id", "=", accountId)
        .groupBy("status")
        .execute();
      const counts = Object.fromEntries(CREDENTIAL_STATUSES.map((status) => [status, 0])) as Record<
        CredentialStatus,
        number
      >;
      for (const row of rows) {
        if ((CREDENTIAL_STATUSES as readonly string[]).includes(row.status)) {
          counts[row.status as CredentialStatus] = Number(row.n);
        }
      }
      return counts;
    },

    async updateCredentialDescription(input) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("credentials")
          .set({ description: input.description })
          .where("account_id", "=", input.accountId)
          .where("credential_id", "=", input.credentialId)
          .where("status", "!=", "DELETED")
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await appendAudit(trx, input.audit);
        return rowToCredential(row);
      });
    },

    async disableActiveCredential(input) {
      return db.transaction().execute(async (trx) => {
        const disabled = await disableIfActive(trx, input);
        if (!disabled) return null;
        await appendAudit(trx, input.audit);
        return disabled;
      });
    },

    async enableDisabledCredential(input) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("credentials")
          .set({
            status: "ACTIVE",
            status_reason: null,
            disabled_at: null,
            expires_at: null,
            rotation_end: null,
            activity_at: iso(input.at),
            inactivity_warned_at: null,
          })
          .where("account_id", "=", input.accountId)
          .where("credential_id", "=", input.credentialId)
          .where("status", "=", "DISABLED")
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await appendAudit(trx, input.audit);
        return rowToCredential(row);
      });
    },

    async rotateCredential(rotation) {
      return db.transaction().execute(async (trx) => {
        const at = iso(rotation.at);
        const old = await trx
          .updateTable("credentials")
          .set({
            rotated_to: rotation.successor.credential.credentialId,
            expires_at: iso(rotation.expiresAt),
            rotation_end: rotation.rotationEnd,
            ...(rotation.disableNow ? { status: "DISABLED", status_reason: "ROTATED", disabled_at: at } : {}),
          })
          .where("account_id", "=", rotation.accountId)
          .where("credential_id", "=", rotation.credentialId)
          .where("status", "=", "ACTIVE")
          .where("expires_at", "is", null)
          .returningAll()
          .executeTakeFirst();
        if (!old) return null;
        await trx
          .insertInto("credentials")
          .values(credentialToRow(rotation.successor.credential, rotation.successor.secret))
          .execute();
        await appendAudit(trx, rotation.audit);
        await markApplied(trx, rotation.idempotency);
        return rowToCredential(old);
      });
    },

    async recordCredentialUses(uses) {
      if (uses.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const use of uses) await recordUse(trx, use.credentialId, iso(use.usedAt), use.sourceIp);
      });
    },
  };
}

type ListQuery = Parameters<Store["listCredentials"]>[0];

/**
 * A page of an account's credentials, newest first. Each combination of filters is its own query,
 * compiled once (see compiled-query.ts); the values are its arguments.
 */
function credentialPages(
  db: Kysely<Database>,
  direct?: { db: Kysely<Database>; read: DirectReader },
): (query: ListQuery) => Promise<CredentialsTable[]> {
  const shapes = new Map<string, CompiledRunner<unknown[], CredentialsTable>>();
  return (query) => {
    const values: unknown[] = [query.accountId];
    if (query.type) values.push(query.type);
    if (query.environment) values.push(query.environment);
    if (query.status) values.push(query.status);
    if (query.after) values.push(query.after.at, query.after.id);
    values.push(query.limit);
    const live = !query.status && !query.includeDeleted;
    const shape = `${query.type ? "t" : ""}${query.environment ? "e" : ""}${query.status ? "s" : ""}${live ? "l" : ""}${query.after ? "a" : ""}`;
    let run = shapes.get(shape);
    if (!run) {
      run = compiledQuery(
        values.length,
        (...args: unknown[]) => {
          let next = 0;
          const arg = <T = string>() => args[next++] as T;
          let q = db.selectFrom("credentials").selectAll().where("account_id", "=", arg());
          if (query.type) q = q.where("type", "=", arg<CredentialType>());
          if (query.environment) q = q.where("environment", "=", arg<Environment>());
          if (query.status) q = q.where("status", "=", arg<CredentialStatus>());
          else if (live) q = q.where("status", "!=", "DELETED");
          const after = query.after ? { at: arg(), id: arg() } : null;
          return keysetPage(q, { at: "created_at", id: "credential_id" }, { after, limit: arg<number>() });
        },
        direct,
      );
      shapes.set(shape, run);
    }
    return run(db, ...values);
  };
}

/** Unwinds a credential insert whose account already holds its cap of ACTIVE credentials. */
class CapReached extends Error {}
