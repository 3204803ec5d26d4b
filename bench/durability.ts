/**
 * What durability costs on the embedded store: commits per second (one account and its audit event
 * per transaction, as every change is written) with `synchronous = FULL` (the default: the WAL is
 * synced at each commit, so nothing acknowledged is lost on power loss) against `NORMAL`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ACCOUNT_SECURITY } from "../src/domain/types.ts";
import { openSqliteStore, type SqliteSynchronous } from "../src/store/sqlite/sqlite-store.ts";
import { type LoopResult, measure } from "./measure.ts";

export async function runDurability(progress: (line: string) => void): Promise<LoopResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "partner-credentials-durability-"));
  try {
    const results: LoopResult[] = [];
    for (const synchronous of ["NORMAL", "FULL"] as SqliteSynchronous[]) {
      progress(`durability: synchronous = ${synchronous}`);
      const store = await openSqliteStore(join(dir, `${synchronous}.sqlite`), { synchronous });
      let n = 0;
      results.push(
        await measure(`SQLite commit, synchronous = ${synchronous}`, async () => {
          n += 1;
          const accountId = `krn:partner:global:account:live:${n.toString(36).toUpperCase().padStart(8, "0")}`;
          await store.createAccount({
            account: {
              accountId,
              name: "Bench",
              kind: "ACQUIRING_PARTNER",
              environment: "LIVE",
              parentAccountId: null,
              partnerAccountReference: null,
              createdAt: new Date(),
              createdBy: "operator",
              security: DEFAULT_ACCOUNT_SECURITY,
              suspension: null,
            },
            link: null,
            audit: [
              {
                eventId: `bench-${synchronous}-${n}`,
                accountId,
                action: "account.created",
                actor: "operator",
                targetType: "ACCOUNT",
                targetId: accountId,
                sourceIp: null,
                statusBefore: null,
                statusAfter: null,
                reason: null,
                occurredAt: new Date(),
              },
            ],
          });
        }),
      );
      await store.close();
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
