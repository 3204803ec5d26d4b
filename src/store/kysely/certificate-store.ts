import type { Kysely } from "kysely";
import { certificateUsable, revocationLocksOut } from "../../domain/mtls-lockout.ts";
import type { CertificateRevocation, Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { markApplied } from "./idempotency-mark.ts";
import { keysetPage } from "./keyset.ts";
import { certificateToRow, iso, rowToCertificate } from "./rows.ts";
import type { Database } from "./tables.ts";

export type CertificateStore = Pick<
  Store,
  | "insertClientCertificate"
  | "listClientCertificates"
  | "findClientCertificate"
  | "hasUsableClientCertificate"
  | "countUsableClientCertificates"
  | "findClientCertificateByFingerprint"
  | "revokeClientCertificate"
>;

/** Client certificates: issued, looked up (by id or fingerprint), counted, revoked without lock-out. */
export function certificateStore(db: Kysely<Database>): CertificateStore {
  return {
    async insertClientCertificate(input) {
      await db.transaction().execute(async (trx) => {
        await markApplied(trx, input.idempotency);
        await trx.insertInto("client_certificates").values(certificateToRow(input.certificate)).execute();
        await trx
          .updateTable("accounts")
          .set({ mtls_enabled: 1 })
          .where("account_id", "=", input.certificate.accountId)
          .execute();
        await appendAudit(trx, input.audit);
      });
    },

    async listClientCertificates(query) {
      const q = db.selectFrom("client_certificates").selectAll().where("account_id", "=", query.accountId);
      const rows = await keysetPage(q, { at: "created_at", id: "certificate_id" }, query).execute();
      return rows.map(rowToCertificate);
    },

    async findClientCertificate(accountId, certificateId) {
      const row = await db
        .selectFrom("client_certificates")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("certificate_id", "=", certificateId)
        .executeTakeFirst();
      return row ? rowToCertificate(row) : null;
    },

    async hasUsableClientCertificate(accountId, now) {
      const row = await db
        .selectFrom("client_certificates")
        .select("certificate_id")
        .where("account_id", "=", accountId)
        .where("revoked_at", "is", null)
        .where("not_before", "<=", iso(now))
        .where("not_after", ">", iso(now))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async findClientCertificateByFingerprint(fingerprintSha256) {
      const row = await db
        .selectFrom("client_certificates")
        .selectAll()
        .where("fingerprint_sha256", "=", fingerprintSha256)
        .executeTakeFirst();
      return row ? rowToCertificate(row) : null;
    },

    async countUsableClientCertificates(accountId, now) {
      const { usable } = await db
        .selectFrom("client_certificates")
        .select((eb) => eb.fn.countAll<number>().as("usable"))
        .where("account_id", "=", accountId)
        .where("revoked_at", "is", null)
        .where("not_before", "<=", iso(now))
        .where("not_after", ">", iso(now))
        .executeTakeFirstOrThrow();
      return Number(usable);
    },

    async revokeClientCertificate(input) {
      const at = iso(input.at);
      return db.transaction().execute(async (trx): Promise<CertificateRevocation> => {
        // Touching the account row first takes its lock (as the audit append does): revocations of
        // one account's certificates run one after the other, each seeing what the one before did.
        const account = await trx
          .updateTable("accounts")
          .set((eb) => ({ account_id: eb.ref("account_id") }))
          .where("account_id", "=", input.accountId)
          .returning("mtls_enforced_from")
          .executeTakeFirst();
        const target = await trx
          .selectFrom("client_certificates")
          .selectAll()
          .where("account_id", "=", input.accountId)
          .where("certificate_id", "=", input.certificateId)
          .where("revoked_at", "is", null)
          .executeTakeFirst();
        if (!account || !target) return { outcome: "NOT_REVOCABLE" };
        if (!input.allowLockOut) {
          const { others } = await trx
            .selectFrom("client_certificates")
            .select((eb) => eb.fn.countAll<number>().as("others"))
            .where("account_id", "=", input.accountId)
            .where("certificate_id", "!=", input.certificateId)
            .where("revoked_at", "is", null)
            .where("not_before", "<=", at)
            .where("not_after", ">", at)
            .executeTakeFirstOrThrow();
          const locksOut = revocationLocksOut({
            mtlsEnforcedFrom: account.mtls_enforced_from ? new Date(account.mtls_enforced_from) : null,
            revokedIsUsable: certificateUsable(rowToCertificate(target), input.at),
            otherUsable: Number(others),
          });
          if (locksOut) return { outcome: "WOULD_LOCK_OUT" };
        }
        const row = await trx
          .updateTable("client_certificates")
          .set({ revoked_at: at })
          .where("account_id", "=", input.accountId)
          .where("certificate_id", "=", input.certificateId)
          .where("revoked_at", "is", null)
          .returningAll()
          .executeTakeFirst();
        if (!row) return { outcome: "NOT_REVOCABLE" };
        await appendAudit(trx, input.audit);
        return { outcome: "REVOKED", certificate: rowToCertificate(row) };
      });
    },
  };
}
