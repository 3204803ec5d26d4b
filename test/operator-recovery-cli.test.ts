import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "../src/client/index.ts";
import { accountShortId } from "../src/domain/identifiers.ts";
import { opensslKeyAndCsr } from "./openssl.ts";
import { freePort, partnerctl, type ServerProcess, startServerProcess } from "./process.ts";
import { type ProcessBackend, processBackend } from "./process-backend.ts";

/*
 * The lock-out journeys as support lives them: a real server process, the partner calling it over
 * HTTP (through a trusted proxy at 127.0.0.1 that forwards its address and certificate), and the
 * operator running `partnerctl admin …` against the internal listener with a named token.
 */

const ALICE_TOKEN = randomBytes(32).toString("base64url");
let dataDir: string;
let server: ServerProcess;
let backend: ProcessBackend;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-recovery-"));
  const operators = join(dataDir, "operators.json");
  const entry = { name: "alice", token_sha256: createHash("sha256").update(ALICE_TOKEN).digest("hex") };
  writeFileSync(operators, JSON.stringify({ operators: [entry] }));
  backend = await processBackend();
  server = await startServerProcess({
    port: await freePort(),
    dataDir,
    env: {
      ...backend.env,
      ADMIN_TOKENS_FILE: operators,
      TRUSTED_PROXIES: "127.0.0.1",
      MTLS_REQUIRED_FOR: "none",
      TLS_PORT: "off",
    },
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await backend?.cleanup();
});

/** `partnerctl admin ARGS --url <internal listener>` as alice. */
async function admin(args: string[]): Promise<string> {
  const result = await partnerctl(["admin", ...args, "--url", server.internalUrl], {
    ...backend.env,
    ADMIN_TOKEN: ALICE_TOKEN,
  });
  expect(result.code, `partnerctl admin ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

interface Partner {
  accountId: string;
  apiKey: string;
  credentialId: string;
}

async function onboard(name: string): Promise<Partner> {
  const created = await new AdminClient({ baseUrl: server.internalUrl, token: ALICE_TOKEN }).createAccount({
    name,
  });
  const claim = await fetch(created.onboarding_url.replace(/^https?:\/\/[^/]+/, server.url), {
    method: "POST",
    headers: { accept: "application/json" },
  });
  const body = (await claim.json()) as { api_key: string; credential_id: string };
  return { accountId: created.account_id, apiKey: body.api_key, credentialId: body.credential_id };
}

/** A partner request; `from` and `certificate` are what the proxy forwards. */
async function call(
  partner: Partner,
  options: { method?: string; path?: string; body?: unknown; from?: string; certificate?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${options.path ?? "/v1/account"}`, {
    method: options.method ?? "GET",
    headers: {
      authorization: `Basic ${partner.apiKey}`,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.from ? { "x-forwarded-for": options.from } : {}),
      ...(options.certificate ? { "x-client-cert": encodeURIComponent(options.certificate) } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function actorsOf(partner: Partner, action: string): Promise<string[]> {
  const { body } = await call(partner, { path: "/v1/account/audit-events?page_size=100" });
  return (body.audit_events as { action: string; actor: string }[])
    .filter((e) => e.action === action)
    .map((e) => e.actor);
}

describe("partnerctl admin: support undoes every lock-out", () => {
  it("mtls lift: a partner that force-revoked its last certificate under enforced mTLS calls again", async () => {
    const partner = await onboard("Locked by mTLS");
    const { csrPem } = opensslKeyAndCsr({ commonName: accountShortId(partner.accountId) });
    const issued = await call(partner, {
      method: "POST",
      path: "/v1/account/client-certificates",
      body: { certificate_signing_request: csrPem },
    });
    expect(issued.status).toBeLessThan(300);
    const certificate = String(issued.body.certificate);
    const path = `/v1/account/client-certificates/${issued.body.certificate_id}`;
    const enforced = await call(partner, {
      method: "PUT",
      path: "/v1/account/mtls-enforcement",
      body: { enforced_from: "NOW" },
      certificate,
    });
    expect(enforced.body).toMatchObject({ status: "ENFORCED" });

    const refused = await call(partner, { method: "DELETE", path, certificate });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "INVALID_STATE" });
    expect(String(refused.body.error_message)).toContain("lock the account out");
    expect((await call(partner, { method: "DELETE", path: `${path}?force=true`, certificate })).status).toBe(
      204,
    );
    for (const options of [{}, { certificate }]) expect((await call(partner, options)).status).toBe(401);

    const shown = JSON.parse(await admin(["accounts", "show", partner.accountId, "--json"]));
    expect(shown.mtls).toMatchObject({ status: "ENFORCED", enforced_now: true, valid_certificates: 0 });
    expect(await admin(["accounts", "show", partner.accountId])).toMatch(
      /mtls\s+ENFORCED since .*0 valid certificates/,
    );

    expect(await admin(["mtls", "lift", partner.accountId])).toBe(
      `${partner.accountId}: mTLS NOT_ENFORCED (certificates kept)\n`,
    );
    expect((await call(partner)).status).toBe(200);
    expect(JSON.parse(await admin(["mtls", "lift", partner.accountId, "--json"]))).toEqual({
      status: "NOT_ENFORCED",
      mtls_enabled: true,
    });
    expect(await actorsOf(partner, "mtls_enforcement.lifted")).toEqual(["operator:alice"]);
  });

  it("ip-restriction reset: a partner whose forced allow-list left it out calls again", async () => {
    const partner = await onboard("Locked by IP");
    const from = "198.51.100.7";
    const locked = await call(partner, {
      method: "PUT",
      path: "/v1/account/ip-restriction",
      body: { enforcement_mode: "ENFORCED", allowed_ips: ["203.0.113.0/24"], force: true },
      from,
    });
    expect(locked.status).toBe(200);
    const refused = await call(partner, { from });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error_code: "IP_NOT_ALLOWED" });
    expect(await admin(["accounts", "show", partner.accountId])).toMatch(
      /ip allow-list\s+ENFORCED: 203\.0\.113\.0\/24/,
    );

    expect(JSON.parse(await admin(["ip-restriction", "reset", partner.accountId, "--json"]))).toEqual({
      enforcement_mode: "NOT_ENABLED",
      allowed_ips: [],
    });
    expect((await call(partner, { from })).status).toBe(200);
    expect(await admin(["ip-restriction", "reset", partner.accountId])).toBe(
      `${partner.accountId}: IP allow-list NOT_ENABLED\n`,
    );
    // Newest first: the operator's reset, after the partner's own change (by its key).
    expect(await actorsOf(partner, "ip_restriction.updated")).toEqual([
      "operator:alice",
      partner.credentialId,
    ]);
  });

  it("accounts suspend / resume and credentials list: every key refused at once, then exactly the ACTIVE ones back", async () => {
    const partner = await onboard("Suspended Co");
    const second = await call(partner, {
      method: "POST",
      path: "/v1/account/credentials",
      body: { type: "API", environment: "LIVE", description: "batch job" },
    });
    const secondKey = { ...partner, apiKey: String(second.body.api_key) };
    const disabledId = String(
      (
        await call(partner, {
          method: "POST",
          path: "/v1/account/credentials",
          body: { type: "API", environment: "TEST", description: "old test key" },
        })
      ).body.credential_id,
    );
    expect(
      (await call(partner, { method: "DELETE", path: `/v1/account/credentials/${disabledId}` })).status,
    ).toBe(204);

    const table = await admin(["credentials", "list", partner.accountId]);
    const [header, ...rows] = table.trimEnd().split("\n");
    expect(header).toMatch(
      /^CREDENTIAL_ID\s+TYPE\s+ENV\s+STATUS\s+REASON\s+CREATED_AT\s+LAST_USED_AT\s+DISABLED_AT\s+DESCRIPTION$/,
    );
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.startsWith(disabledId))).toMatch(
      /API\s+TEST\s+DISABLED\s+PARTNER\s+\S+\s+-\s+\S+Z\s+old test key/,
    );
    const listed = JSON.parse(await admin(["credentials", "list", partner.accountId, "--json"])) as {
      credentials: { credential_id: string; status: string }[];
    };
    expect(listed.credentials.map((c) => c.status).sort()).toEqual(["ACTIVE", "ACTIVE", "DISABLED"]);

    const suspended = await admin([
      "accounts",
      "suspend",
      partner.accountId,
      "--reason",
      "chargeback review",
    ]);
    expect(suspended).toMatch(
      new RegExp(`^${partner.accountId} is now SUSPENDED since \\S+ \\(chargeback review\\)\\n$`),
    );
    for (const key of [partner, secondKey]) {
      const refused = await call(key);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
    }
    expect(await admin(["accounts", "suspend", partner.accountId])).toMatch(
      /is already SUSPENDED .*nothing changed/,
    );
    const shown = await admin(["accounts", "show", partner.accountId]);
    expect(shown).toMatch(/status\s+SUSPENDED since \S+ \(chargeback review\)/);
    expect(shown).toMatch(/credentials\s+2 ACTIVE, 1 DISABLED, 0 DELETED/);
    expect(JSON.parse(await admin(["accounts", "show", partner.accountId, "--json"]))).toMatchObject({
      status: "SUSPENDED",
      suspended_reason: "chargeback review",
      credentials: { ACTIVE: 2, DISABLED: 1, DELETED: 0 },
    });

    expect(
      JSON.parse(await admin(["accounts", "resume", partner.accountId, "--reason", "cleared", "--json"])),
    ).toEqual({
      account_id: partner.accountId,
      status: "ACTIVE",
      changed: true,
    });
    expect((await call(partner)).status).toBe(200);
    expect((await call(secondKey)).status).toBe(200);
    expect(await admin(["credentials", "list", partner.accountId, "--status", "disabled"])).toContain(
      disabledId,
    );
    expect(await actorsOf(partner, "account.suspended")).toEqual(["operator:alice"]);
    expect(await actorsOf(partner, "account.resumed")).toEqual(["operator:alice"]);
  });

  it("fails with the API's error for an unknown account", async () => {
    const result = await partnerctl(
      [
        "admin",
        "accounts",
        "suspend",
        "krn:partner:global:account:live:ZZZZ9999",
        "--url",
        server.internalUrl,
      ],
      { ...backend.env, ADMIN_TOKEN: ALICE_TOKEN },
    );
    // partnerctl's exit code for "not found", for operators' commands as for partners'.
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("NOT_FOUND");
  });
});
