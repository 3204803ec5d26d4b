import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { describe, expect } from "vitest";
import { generateKey } from "../src/domain/key-format.ts";
import { reportedTokenHash, scannerPattern } from "../src/domain/leak-report.ts";
import { systemRandom } from "../src/system.ts";
import { it } from "./fixtures.ts";
import {
  basic,
  type Harness,
  json,
  type OnboardedPartner,
  onboardAcquiringPartner,
  operator,
} from "./harness.ts";

/*
 * GitHub's secret-scanning partner program, played by the test: it holds its own ECDSA P-256 key
 * pair, publishes the public half in the keys file, and signs each report over its raw bytes.
 */

interface SigningKey {
  identifier: string;
  privateKey: KeyObject;
  publicPem: string;
}

function newSigningKey(identifier: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { identifier, privateKey, publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

/** GitHub's key document, replacing the file in one rename as a deployment would. */
function writeKeysFile(file: string, keys: readonly SigningKey[]): void {
  const document = {
    public_keys: keys.map((k, i) => ({
      key_identifier: k.identifier,
      key: k.publicPem,
      is_current: i === 0,
    })),
  };
  writeFileSync(`${file}.new`, JSON.stringify(document));
  renameSync(`${file}.new`, file);
}

interface Finding {
  token: string;
  type: string;
  url: string;
  source: string;
}

const finding = (token: string, n = 1): Finding => ({
  token,
  type: "klarna_api_key",
  url: `https://github.com/octo-org/octo-repo/blob/commit${n}/config.env`,
  source: "Content",
});

interface Verdict {
  token_hash: string;
  token_type: string;
  label: "true_positive" | "false_positive";
}

/** POSTs `body` as GitHub does: signed over exactly these bytes (by `signWith`, when it is another key). */
function report(
  h: Harness,
  key: SigningKey,
  body: string,
  options: { signWith?: KeyObject; identifier?: string } = {},
): Promise<LightMyRequestResponse> {
  const signature = sign("sha256", Buffer.from(body), options.signWith ?? key.privateKey).toString("base64");
  return h.app.inject({
    method: "POST",
    url: "/v1/secret-scanning/reports",
    headers: {
      "content-type": "application/json",
      "github-public-key-identifier": options.identifier ?? key.identifier,
      "github-public-key-signature": signature,
    },
    payload: body,
  });
}

async function createCredential(
  h: Harness,
  partner: OnboardedPartner,
  type: "API" | "CLIENT",
): Promise<{ credential_id: string; api_key?: string; client_id?: string }> {
  const created = await h.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: basic(partner.apiKey),
    payload: { type, environment: "LIVE", description: `a ${type} credential` },
  });
  expect(created.statusCode, created.body).toBe(200);
  return json(created);
}

async function disable(h: Harness, partner: OnboardedPartner, credentialId: string): Promise<void> {
  const disabled = await h.app.inject({
    method: "DELETE",
    url: `/v1/account/credentials/${credentialId}`,
    headers: basic(partner.apiKey),
  });
  expect(disabled.statusCode).toBe(204);
}

const accountCall = (h: Harness, apiKey: string) =>
  h.app.inject({ method: "GET", url: "/v1/account", headers: basic(apiKey) });

/** The account's audit events, newest first, as the operator reads them. */
async function auditEvents(h: Harness, partner: OnboardedPartner): Promise<Record<string, unknown>[]> {
  const page = await h.app.inject({
    method: "GET",
    url: "/v1/account/audit-events?page_size=100",
    headers: basic(partner.apiKey),
  });
  expect(page.statusCode).toBe(200);
  return json<{ audit_events: Record<string, unknown>[] }>(page).audit_events;
}

async function serviceToken(h: Harness): Promise<string> {
  const created = await h.internal.inject({
    method: "POST",
    url: "/admin/v1/service-tokens",
    headers: operator,
    payload: { name: "own-scanner" },
  });
  expect(created.statusCode).toBe(201);
  return json<{ token: string }>(created).token;
}

/** A key of this service's format whose checksum holds, but that was never issued. */
const wellFormedStranger = (): string =>
  generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom }).key;

/** A real-looking key with its last checksum character changed. */
const badChecksum = (key: string): string => key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");

/** A webhook endpoint of the partner's for every leak event (never delivered to: no dispatcher runs). */
async function subscribe(h: Harness, partner: OnboardedPartner): Promise<string> {
  const created = await h.app.inject({
    method: "POST",
    url: "/v1/account/webhooks",
    headers: basic(partner.apiKey),
    payload: { url: "http://127.0.0.1:9/hooks", events: ["credential.leaked", "credential.disabled"] },
  });
  expect(created.statusCode, created.body).toBe(200);
  return json<{ endpoint_id: string }>(created).endpoint_id;
}

async function webhookEvents(h: Harness, partner: OnboardedPartner, endpointId: string): Promise<string[]> {
  const listed = await h.app.inject({
    method: "GET",
    url: `/v1/account/webhooks/${endpointId}/deliveries?page_size=100`,
    headers: basic(partner.apiKey),
  });
  expect(listed.statusCode).toBe(200);
  return json<{ deliveries: { event_type: string }[] }>(listed)
    .deliveries.map((d) => d.event_type)
    .sort();
}

interface Scene {
  h: Harness;
  partner: OnboardedPartner;
  github: SigningKey;
  keysFile: string;
}

describe("leaked-key reports", () => {
  /** A service whose SECRET_SCANNING_KEYS_FILE holds GitHub's key, with an onboarded partner. */
  async function scene(
    startHarness: (env?: Record<string, string>) => Promise<Harness>,
    env: Record<string, string> = {},
  ): Promise<Scene> {
    const github = newSigningKey("90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a");
    const keysFile = join(mkdtempSync(join(tmpdir(), "secret-scanning-")), "github-keys.json");
    writeKeysFile(keysFile, [github]);
    const h = await startHarness({
      SECRET_SCANNING_KEYS_FILE: keysFile,
      // Webhook endpoints on this machine, to see what a report announces.
      WEBHOOK_ALLOW_INSECURE_TARGETS: "true",
      ...env,
    });
    return { h, partner: await onboardAcquiringPartner(h), github, keysFile };
  }

  it("disables a reported live key at once and labels every token", async ({ startHarness }) => {
    const { h, partner, github } = await scene(startHarness);
    const endpoint = await subscribe(h, partner);
    const live = await createCredential(h, partner, "API");
    const disabled = await createCredential(h, partner, "API");
    await disable(h, partner, disabled.credential_id);
    const client = await createCredential(h, partner, "CLIENT");
    const liveKey = live.api_key as string;
    const disabledKey = disabled.api_key as string;
    const clientId = client.client_id as string;
    const stranger = wellFormedStranger();
    expect((await accountCall(h, liveKey)).statusCode).toBe(200);

    const tokens = [liveKey, disabledKey, stranger, clientId, badChecksum(liveKey)];
    const answered = await report(h, github, JSON.stringify(tokens.map((t, i) => finding(t, i))));
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.headers["x-ratelimit-limit"]).toBeDefined();
    expect(json<Verdict[]>(answered)).toEqual([
      { token_hash: reportedTokenHash(liveKey), token_type: "klarna_api_key", label: "true_positive" },
      { token_hash: reportedTokenHash(disabledKey), token_type: "klarna_api_key", label: "true_positive" },
      { token_hash: reportedTokenHash(stranger), token_type: "klarna_api_key", label: "false_positive" },
      { token_hash: reportedTokenHash(clientId), token_type: "klarna_api_key", label: "true_positive" },
      {
        token_hash: reportedTokenHash(badChecksum(liveKey)),
        token_type: "klarna_api_key",
        label: "false_positive",
      },
    ]);

    // Refused straight after, with its reason for the partner to see.
    expect((await accountCall(h, liveKey)).statusCode).toBe(401);
    const shown = await h.app.inject({
      method: "GET",
      url: `/v1/account/credentials/${live.credential_id}`,
      headers: basic(partner.apiKey),
    });
    expect(json(shown)).toMatchObject({ status: "DISABLED", status_reason: "LEAKED" });
    // The Client ID is public by design: labelled, never disabled.
    const clientNow = await h.app.inject({
      method: "GET",
      url: `/v1/account/credentials/${client.credential_id}`,
      headers: basic(partner.apiKey),
    });
    expect(json(clientNow)).toMatchObject({ status: "ACTIVE" });
    // The partner's own key was not reported: it still works.
    expect((await accountCall(h, partner.apiKey)).statusCode).toBe(200);

    const events = await auditEvents(h, partner);
    const leaked = events.filter((e) => e.action === "credential.leaked");
    expect(leaked).toEqual([
      expect.objectContaining({
        target_id: live.credential_id,
        actor: "secret-scanning:github",
        reason: "LEAKED",
        details: { url: finding(liveKey, 0).url, source: "Content", token_hash: reportedTokenHash(liveKey) },
      }),
    ]);
    expect(events.filter((e) => e.action === "credential.disabled" && e.reason === "LEAKED")).toEqual([
      expect.objectContaining({
        target_id: live.credential_id,
        status_before: "ACTIVE",
        status_after: "DISABLED",
      }),
    ]);
    const chain = await h.internal.inject({
      method: "GET",
      url: `/admin/v1/accounts/${encodeURIComponent(partner.accountId)}/audit-chain`,
      headers: operator,
    });
    expect(json(chain)).toMatchObject({ intact: true });
    // The partner hears of it by webhook (its own disable of the other key before, too).
    expect(await webhookEvents(h, partner, endpoint)).toEqual([
      "credential.disabled",
      "credential.disabled",
      "credential.leaked",
    ]);
  });

  it("keeps no reported token in any log line, table or audit event", async ({ startHarness }) => {
    const { h, partner, github } = await scene(startHarness);
    // The webhook outbox is a table too: what it holds of the report is checked with the rest.
    const endpoint = await subscribe(h, partner);
    const live = (await createCredential(h, partner, "API")).api_key as string;
    const stranger = wellFormedStranger();
    const mistyped = badChecksum(wellFormedStranger());
    // A scanner that repeats the token in the url must not make us keep it either.
    const noisy = { ...finding(live), url: `https://paste.example/raw?text=${live}` };
    const body = JSON.stringify([noisy, finding(stranger), finding(mistyped)]);
    expect((await report(h, github, body)).statusCode).toBe(200);
    // Refused reports and a replay log what they log too.
    await report(h, github, body, { signWith: newSigningKey("x").privateKey });
    await report(h, github, body);
    await h.app.inject({
      method: "POST",
      url: "/v1/secret-scanning/reports",
      headers: { "content-type": "application/json" },
      payload: body,
    });
    const events = JSON.stringify(await auditEvents(h, partner));
    expect(events).toContain("paste.example/raw?text=[REDACTED]");
    expect(await webhookEvents(h, partner, endpoint)).toEqual(["credential.disabled", "credential.leaked"]);

    const bytes = await h.storedBytes();
    const logs = h.logs();
    expect(logs.length).toBeGreaterThan(0);
    for (const token of [live, stranger, mistyped]) {
      // The lookup id and the secret part alone, too: no fragment of the key that matters.
      for (const part of [token, token.slice(12, 24 + 12), token.slice(-38)]) {
        expect(bytes.includes(Buffer.from(part)), "the store holds a reported token").toBe(false);
        expect(logs.includes(part), "a log line holds a reported token").toBe(false);
        expect(events.includes(part), "an audit event holds a reported token").toBe(false);
      }
    }
    // What is kept: the hash of the token that matched.
    expect(bytes.includes(Buffer.from(reportedTokenHash(live)))).toBe(true);
  });

  it("refuses a bad signature, an unknown key identifier and an unsigned report, processing nothing", async ({
    startHarness,
  }) => {
    const { h, partner, github } = await scene(startHarness);
    const live = (await createCredential(h, partner, "API")).api_key as string;
    const body = JSON.stringify([finding(live)]);
    const impostor = newSigningKey(github.identifier);

    const refusals = [
      await report(h, github, body, { signWith: impostor.privateKey }),
      await report(h, github, body, { identifier: "unknown-identifier" }),
      // Signed over other bytes than those sent.
      await h.app.inject({
        method: "POST",
        url: "/v1/secret-scanning/reports",
        headers: {
          "content-type": "application/json",
          "github-public-key-identifier": github.identifier,
          "github-public-key-signature": sign("sha256", Buffer.from("[]"), github.privateKey).toString(
            "base64",
          ),
        },
        payload: body,
      }),
      await h.app.inject({
        method: "POST",
        url: "/v1/secret-scanning/reports",
        headers: { "content-type": "application/json" },
        payload: body,
      }),
      await report(h, github, "not json at all", { identifier: "unknown-identifier" }),
    ];
    for (const refused of refusals) {
      expect(refused.statusCode).toBe(401);
      expect(json(refused)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
    }
    expect((await accountCall(h, live)).statusCode).toBe(200);
    expect((await auditEvents(h, partner)).some((e) => e.action === "credential.leaked")).toBe(false);
    // Signed, but not JSON: the contract's 400.
    const garbled = await report(h, github, "not json at all");
    expect(garbled.statusCode).toBe(400);
    expect(json(garbled)).toMatchObject({ error_code: "VALIDATION_ERROR" });
  });

  it("reads the keys file again when it changes: a rotated key works without a restart", async ({
    startHarness,
  }) => {
    const { h, partner, github, keysFile } = await scene(startHarness);
    const first = (await createCredential(h, partner, "API")).api_key as string;
    const second = (await createCredential(h, partner, "API")).api_key as string;
    const rotated = newSigningKey("bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c");

    expect((await report(h, rotated, JSON.stringify([finding(first)]))).statusCode).toBe(401);
    // GitHub publishes its new key next to the old one, then drops the old.
    writeKeysFile(keysFile, [rotated, github]);
    expect((await report(h, rotated, JSON.stringify([finding(first)]))).statusCode).toBe(200);
    expect((await report(h, github, JSON.stringify([finding(second)]))).statusCode).toBe(200);
    writeKeysFile(keysFile, [rotated]);
    expect((await report(h, github, JSON.stringify([finding(second)]))).statusCode).toBe(401);
    // A broken file (half written, say) leaves the keys read before in use.
    writeFileSync(keysFile, "{ not json");
    expect((await report(h, rotated, JSON.stringify([finding(second)]))).statusCode).toBe(200);
    expect(h.logs()).toContain("SECRET_SCANNING_KEYS_FILE could not be read again");
    expect((await accountCall(h, first)).statusCode).toBe(401);
    expect((await accountCall(h, second)).statusCode).toBe(401);
  });

  it("accepts GitHub's older findings, without url and source", async ({ startHarness }) => {
    const { h, partner, github } = await scene(startHarness);
    const live = await createCredential(h, partner, "API");
    const answered = await report(
      h,
      github,
      JSON.stringify([{ token: live.api_key, type: "klarna_api_key" }]),
    );
    expect(answered.statusCode, answered.body).toBe(200);
    expect(json<Verdict[]>(answered)[0]?.label).toBe("true_positive");
    expect((await accountCall(h, live.api_key as string)).statusCode).toBe(401);
    const leaked = (await auditEvents(h, partner)).find((e) => e.action === "credential.leaked");
    expect(leaked?.details).toEqual({
      url: "",
      source: "Unknown",
      token_hash: reportedTokenHash(live.api_key as string),
    });
  });

  it("acts once on a token reported twice", async ({ startHarness }) => {
    const { h, partner, github } = await scene(startHarness);
    const live = await createCredential(h, partner, "API");
    const key = live.api_key as string;
    const body = JSON.stringify([finding(key), finding(key, 2)]);
    const first = await report(h, github, body);
    expect(json<Verdict[]>(first).map((v) => v.label)).toEqual(["true_positive", "true_positive"]);
    // The operator reactivates it meanwhile: a replay of the same report must not disable it again.
    const enabled = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${encodeURIComponent(partner.accountId)}/credentials/${live.credential_id}/enable`,
      headers: operator,
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    const again = await report(h, github, body);
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual(json(first));
    expect((await accountCall(h, key)).statusCode).toBe(200);
    const events = await auditEvents(h, partner);
    expect(events.filter((e) => e.action === "credential.leaked")).toHaveLength(1);
    expect(events.filter((e) => e.reason === "LEAKED" && e.action === "credential.disabled")).toHaveLength(1);
  });

  it("lets only the operator reactivate a leaked key", async ({ startHarness }) => {
    const { h, partner, github } = await scene(startHarness);
    const live = await createCredential(h, partner, "API");
    expect((await report(h, github, JSON.stringify([finding(live.api_key as string)]))).statusCode).toBe(200);

    const byPartner = await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${live.credential_id}/enable`,
      headers: basic(partner.apiKey),
    });
    expect(byPartner.statusCode).toBe(403);
    expect(json(byPartner)).toMatchObject({ error_code: "FORBIDDEN" });
    expect(json<{ error_message: string }>(byPartner).error_message).toMatch(
      /reported leaked.*only the operator/,
    );
    expect((await accountCall(h, live.api_key as string)).statusCode).toBe(401);

    const byOperator = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${encodeURIComponent(partner.accountId)}/credentials/${live.credential_id}/enable`,
      headers: operator,
    });
    expect(byOperator.statusCode, byOperator.body).toBe(200);
    expect(json(byOperator)).toMatchObject({ status: "ACTIVE" });
    expect((await accountCall(h, live.api_key as string)).statusCode).toBe(200);
  });

  it("with LEAKED_KEY_ACTION=notify records and announces the report but leaves the key working", async ({
    startHarness,
  }) => {
    const { h, partner, github } = await scene(startHarness, { LEAKED_KEY_ACTION: "notify" });
    const live = await createCredential(h, partner, "API");
    const answered = await report(h, github, JSON.stringify([finding(live.api_key as string)]));
    expect(json<Verdict[]>(answered)[0]?.label).toBe("true_positive");
    expect((await accountCall(h, live.api_key as string)).statusCode).toBe(200);
    const events = await auditEvents(h, partner);
    expect(events.filter((e) => e.action === "credential.leaked")).toHaveLength(1);
    expect(events.some((e) => e.action === "credential.disabled")).toBe(false);

    // Once the operator switches to disable, the same report disables the key it only announced.
    const switched = await h.anotherInstance({ LEAKED_KEY_ACTION: "disable" });
    const body = JSON.stringify([finding(live.api_key as string)]);
    const signature = sign("sha256", Buffer.from(body), github.privateKey).toString("base64");
    const again = await switched.app.inject({
      method: "POST",
      url: "/v1/secret-scanning/reports",
      headers: {
        "content-type": "application/json",
        "github-public-key-identifier": github.identifier,
        "github-public-key-signature": signature,
      },
      payload: body,
    });
    expect(json<Verdict[]>(again)[0]?.label).toBe("true_positive");
    expect(
      (
        await switched.app.inject({
          method: "GET",
          url: "/v1/account",
          headers: basic(live.api_key as string),
        })
      ).statusCode,
    ).toBe(401);
    const after = await auditEvents(h, partner);
    expect(after.filter((e) => e.action === "credential.leaked")).toHaveLength(1);
    expect(after.filter((e) => e.action === "credential.disabled" && e.reason === "LEAKED")).toHaveLength(1);
  });

  it("refuses more than 1,000 tokens (400) and more than 1 MB (413), signed or not", async ({
    startHarness,
  }) => {
    const { h, partner, github } = await scene(startHarness);
    const live = (await createCredential(h, partner, "API")).api_key as string;
    const tooMany = JSON.stringify([
      finding(live),
      ...Array.from({ length: 1000 }, (_, i) => finding(`x${i}`)),
    ]);
    const many = await report(h, github, tooMany);
    expect(many.statusCode).toBe(400);
    expect(json(many)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "VALIDATION_ERROR" });
    const huge = JSON.stringify([finding(live), { ...finding("y"), url: "z".repeat(1024 * 1024) }]);
    const large = await report(h, github, huge);
    expect(large.statusCode).toBe(413);
    expect(json(large)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "PAYLOAD_TOO_LARGE" });
    expect((await accountCall(h, live)).statusCode).toBe(200);

    // 1,000 tokens are fine.
    const thousand = JSON.stringify(Array.from({ length: 1000 }, (_, i) => finding(`x${i}`)));
    const accepted = await report(h, github, thousand);
    expect(accepted.statusCode).toBe(200);
    expect(json<Verdict[]>(accepted)).toHaveLength(1000);
  });

  it("limits reports per key identifier (429 with the rate-limit headers)", async ({ startHarness }) => {
    const { h, github } = await scene(startHarness, { LEAK_REPORTS_RATE_LIMIT: "2/1m" });
    const body = JSON.stringify([finding(wellFormedStranger())]);
    expect((await report(h, github, body)).statusCode).toBe(200);
    const second = await report(h, github, body);
    expect(second.statusCode).toBe(200);
    expect(second.headers["x-ratelimit-remaining"]).toBe("0");
    // Reports that are not GitHub's do not spend its budget (its key identifiers are public).
    const stranger = newSigningKey(github.identifier);
    expect((await report(h, github, body, { signWith: stranger.privateKey })).statusCode).toBe(401);
    const third = await report(h, github, body);
    expect(third.statusCode).toBe(429);
    expect(json(third)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "RATE_LIMITED" });
    expect(third.headers["retry-after"]).toBeDefined();
    expect(third.headers["x-ratelimit-limit"]).toMatch(/^2, 2;w=60$/);
    // Over the budget, a report that is not GitHub's is still refused as such.
    expect((await report(h, github, body, { identifier: "nope" })).statusCode).toBe(401);
    expect((await report(h, github, body, { signWith: stranger.privateKey })).statusCode).toBe(401);
  });

  it("without SECRET_SCANNING_KEYS_FILE refuses every report", async ({ startHarness }) => {
    const h = await startHarness();
    const github = newSigningKey("k1");
    const refused = await report(h, github, JSON.stringify([finding(wellFormedStranger())]));
    expect(refused.statusCode).toBe(401);
  });

  it("a keys file that cannot be read stops the start", async ({ startHarness }) => {
    const file = join(mkdtempSync(join(tmpdir(), "secret-scanning-")), "keys.json");
    writeFileSync(file, JSON.stringify({ public_keys: [{ key_identifier: "k", key: "not a key" }] }));
    await expect(startHarness({ SECRET_SCANNING_KEYS_FILE: file })).rejects.toThrow(
      /SECRET_SCANNING_KEYS_FILE/,
    );
  });
});

describe("registering with GitHub's secret-scanning partner program", () => {
  it("the README and the guide give the pattern of this key format", () => {
    for (const doc of ["../README.md", "../docs/leaked-keys.md"]) {
      expect(readFileSync(new URL(doc, import.meta.url), "utf8")).toContain(scannerPattern("klarna"));
    }
  });
});

describe("POST /internal/v1/leaks", () => {
  const leaks = (h: Harness, body: unknown, headers: Record<string, string> = {}) =>
    h.internal.inject({ method: "POST", url: "/internal/v1/leaks", headers, payload: body as object });

  it("needs a service token, then processes as GitHub's reports do", async ({ harness: h, partner }) => {
    const live = await createCredential(h, partner, "API");
    const key = live.api_key as string;
    const body = [{ ...finding(key), type: "internal_scanner" }, finding(wellFormedStranger())];

    for (const headers of [{}, { "x-service-token": "pcs_nope" }] as Record<string, string>[]) {
      const refused = await leaks(h, body, headers);
      expect(refused.statusCode).toBe(401);
      expect(json(refused)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "SERVICE_UNAUTHORIZED" });
    }
    expect((await accountCall(h, key)).statusCode).toBe(200);

    const token = await serviceToken(h);
    const answered = await leaks(h, body, { "x-service-token": token });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(json<Verdict[]>(answered)).toEqual([
      { token_hash: reportedTokenHash(key), token_type: "internal_scanner", label: "true_positive" },
      expect.objectContaining({ label: "false_positive" }),
    ]);
    expect((await accountCall(h, key)).statusCode).toBe(401);
    const events = await auditEvents(h, partner);
    expect(events.find((e) => e.action === "credential.leaked")).toMatchObject({
      actor: "service:own-scanner",
      details: { url: finding(key).url, source: "Content", token_hash: reportedTokenHash(key) },
    });
    expect(h.logs().includes(key)).toBe(false);
  });

  it("refuses more than 1,000 tokens and more than 1 MB", async ({ harness: h }) => {
    const token = await serviceToken(h);
    const headers = { "x-service-token": token };
    const many = await leaks(
      h,
      Array.from({ length: 1001 }, (_, i) => finding(`x${i}`)),
      headers,
    );
    expect(many.statusCode).toBe(400);
    const large = await leaks(h, [{ ...finding("y"), url: "z".repeat(1024 * 1024) }], headers);
    expect(large.statusCode).toBe(413);
    expect(json(large)).toMatchObject({ error_code: "PAYLOAD_TOO_LARGE" });
  });
});
