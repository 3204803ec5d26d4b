import { join } from "node:path";
import SQLite from "better-sqlite3";
import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner, operator } from "./harness.ts";

/** Changes stored rows behind the service's back, as someone holding the database file would. */
function tamper(h: Harness, statement: string, ...parameters: unknown[]): void {
  const database = new SQLite(join(h.dataDir, "test.sqlite"));
  try {
    database.prepare(statement).run(...parameters);
  } finally {
    database.close();
  }
}

const verify = async (h: Harness, accountId: string) =>
  json(
    await h.internal.inject({
      method: "GET",
      url: `/admin/v1/accounts/${accountId}/audit-chain`,
      headers: operator,
    }),
  );

/** Gives the partner some history, and returns its chain. */
async function addHistory(h: Harness, partner: OnboardedPartner) {
  for (let i = 0; i < 3; i++) {
    await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
      payload: { type: "API", environment: "TEST", description: `svc ${i}` },
    });
  }
  const chain = await h.store.readAuditChain(partner.accountId);
  return chain;
}

describe("tamper-evident audit trail", () => {
  it("chains every event of an account to the one before it", async ({ harness: h, partner }) => {
    const chain = await addHistory(h, partner);
    expect(chain.map((e) => e.seq)).toEqual(chain.map((_, i) => i + 1));
    expect(chain.length).toBeGreaterThanOrEqual(5);
    for (const [i, event] of chain.entries()) if (i > 0) expect(event.prevHash).toBe(chain[i - 1]?.hash);
    expect(await verify(h, partner.accountId)).toEqual({
      account_id: partner.accountId,
      intact: true,
      checked: chain.length,
    });
    const unknown = await h.internal.inject({
      method: "GET",
      url: "/admin/v1/accounts/krn:partner:global:account:live:ZZZZZZZZ/audit-chain",
      headers: operator,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it.skipIf(process.env.TEST_STORE === "postgres")(
    "reports the first changed event",
    async ({ harness: h, partner }) => {
      const chain = await addHistory(h, partner);
      const victim = chain[3];
      tamper(h, "update audit_events set source_ip = ? where event_id = ?", "10.9.9.9", victim?.eventId);
      expect(await verify(h, partner.accountId)).toMatchObject({
        intact: false,
        checked: 3,
        first_break: { seq: 4, event_id: victim?.eventId, problem: "its content was changed" },
      });
    },
  );

  it.skipIf(process.env.TEST_STORE === "postgres")(
    "reports a removed event",
    async ({ harness: h, partner }) => {
      const chain = await addHistory(h, partner);
      tamper(h, "delete from audit_events where event_id = ?", chain[2]?.eventId);
      expect(await verify(h, partner.accountId)).toMatchObject({
        intact: false,
        checked: 2,
        first_break: { seq: 4, problem: expect.stringMatching(/missing/) },
      });
    },
  );
});
