import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PartnerClient } from "@partner-credentials/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "../src/client/index.ts";
import { readSecretFile } from "../src/secret-files.ts";
import { freePort, partnerctl, type ServerProcess, startServerProcess } from "./process.ts";
import { type ProcessBackend, processBackend } from "./process-backend.ts";

const DAY_MS = 86_400_000;
let dataDir: string;
let server: ServerProcess;
let backend: ProcessBackend;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-sweep-"));
  backend = await processBackend();
  server = await startServerProcess({
    port: await freePort(),
    dataDir,
    // Seconds stand for days here: every use must reach the store, not one a minute.
    env: { USAGE_FLUSH_INTERVAL: "PT0.2S", LAST_USE_PRECISION: "PT0S", ...backend.env },
  });
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await backend.cleanup();
});

interface SweepJson {
  as_of: string;
  dry_run: boolean;
  transitions: { rule: string; credential_id: string; from: string; to: string }[];
}

const sweep = async (args: string[]): Promise<SweepJson> => {
  const result = await partnerctl(
    ["lifecycle", "sweep", "--data-dir", dataDir, "--json", ...args],
    backend.env,
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as SweepJson;
};

describe("partnerctl lifecycle sweep against a running server's store", () => {
  it("disables exactly the idle credentials, prints them, and does nothing the second time", async () => {
    const admin = new AdminClient({
      baseUrl: server.internalUrl,
      token: readSecretFile(dataDir, "admin-token") ?? "",
    });
    const account = await admin.createAccount({ name: "Sweep Co" });
    const claim = await fetch(account.onboarding_url, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    const initial = (await claim.json()) as { api_key: string; credential_id: string };
    const client = new PartnerClient({ baseUrl: server.url, apiKey: initial.api_key });

    const idle = await Promise.all([
      client.createCredential({ type: "API", environment: "LIVE", description: "idle a" }),
      client.createCredential({ type: "CLIENT", environment: "TEST", description: "idle b" }),
    ]);
    const idleSince = Math.max(...idle.map((c) => Date.parse(c.created_at)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Later activity: the initial key is used and one more credential is created.
    const fresh = await client.createCredential({ type: "API", environment: "LIVE", description: "fresh" });
    await new Promise((resolve) => setTimeout(resolve, 600));

    // As of 60 days and 0.7 s after the idle ones were last active: they are over the limit, the rest is not.
    const asOf = new Date(idleSince + 60 * DAY_MS + 700).toISOString();
    const preview = await sweep(["--as-of", asOf, "--dry-run"]);
    expect(preview.dry_run).toBe(true);
    const disabledIds = (report: SweepJson) =>
      report.transitions
        .filter((t) => t.to === "DISABLED")
        .map((t) => t.credential_id)
        .sort();
    const expected = idle.map((c) => c.credential_id).sort();
    expect(disabledIds(preview)).toEqual(expected);
    expect((await client.getCredential(idle[0]?.credential_id ?? "")).status).toBe("ACTIVE");

    const human = await partnerctl(
      ["lifecycle", "sweep", "--data-dir", dataDir, "--as-of", asOf],
      backend.env,
    );
    expect(human.code, human.stderr).toBe(0);
    for (const id of expected)
      expect(human.stdout).toMatch(new RegExp(`INACTIVITY_DISABLE\\s+ACTIVE\\s+-> DISABLED\\s+${id}`));
    expect(human.stdout).not.toMatch(new RegExp(`-> DISABLED\\s+${fresh.credential_id}`));
    expect(human.stdout).not.toMatch(new RegExp(`-> DISABLED\\s+${initial.credential_id}`));
    expect(human.stdout).toMatch(/transitions made as of/);

    const listed = await client.listCredentials({ status: "DISABLED" });
    expect(listed.credentials.map((c) => c.credential_id).sort()).toEqual(expected);
    expect(listed.credentials.every((c) => c.status_reason === "INACTIVITY")).toBe(true);
    expect((await client.getCredential(fresh.credential_id)).status).toBe("ACTIVE");
    await expect(
      new PartnerClient({ baseUrl: server.url, apiKey: idle[0]?.api_key ?? "" }).getAccount(),
    ).rejects.toMatchObject({
      status: 401,
    });

    const second = await sweep(["--as-of", asOf]);
    expect(second.transitions).toEqual([]);
  });

  it("two sweeps started at once make each transition and write each audit event exactly once", async () => {
    const admin = new AdminClient({
      baseUrl: server.internalUrl,
      token: readSecretFile(dataDir, "admin-token") ?? "",
    });
    const account = await admin.createAccount({ name: "Race Co" });
    const claim = await fetch(account.onboarding_url, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    const client = new PartnerClient({
      baseUrl: server.url,
      apiKey: ((await claim.json()) as { api_key: string }).api_key,
    });
    for (let i = 0; i < 20; i++) {
      await client.createCredential({ type: "API", environment: "TEST", description: `race ${i}` });
    }
    const asOf = new Date(Date.now() + 301 * DAY_MS).toISOString();
    const [a, b] = await Promise.all([sweep(["--as-of", asOf]), sweep(["--as-of", asOf])]);
    const all = [...a.transitions, ...b.transitions];
    const keyOf = (t: { rule: string; credential_id: string }) => `${t.rule} ${t.credential_id}`;
    expect(new Set(all.map(keyOf)).size).toBe(all.length);
    const deleted = all.filter((t) => t.rule === "INACTIVITY_DELETE");
    // This account's 21 credentials are each disabled once and deleted once, whichever process did it.
    const oursDeleted = new Set(deleted.map((t) => t.credential_id));
    expect(oursDeleted.size).toBeGreaterThanOrEqual(21);

    const store = await backend.open(dataDir);
    const events = await store.listAuditEvents({ accountId: account.account_id, after: null, limit: 500 });
    await store.close();
    const bySystem = (action: string) => events.filter((e) => e.actor === "system" && e.action === action);
    for (const action of ["credential.disabled", "credential.deleted"]) {
      expect(bySystem(action)).toHaveLength(21);
      expect(new Set(bySystem(action).map((e) => e.targetId)).size).toBe(21);
    }
  });

  it("rejects an invalid --as-of and changes nothing", async () => {
    for (const asOf of ["tomorrow", "2027-13-01", "2027-01-01T25:00:00Z", "1700000000"]) {
      const result = await partnerctl(["lifecycle", "sweep", "--data-dir", dataDir, "--as-of", asOf]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("--as-of must be an ISO 8601");
    }
  });
});
