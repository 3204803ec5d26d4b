import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { accountShortId } from "../src/domain/identifiers.ts";
import { createLogger } from "../src/logger.ts";
import { type RunningServer, startServer } from "../src/main.ts";
import { systemRandom } from "../src/system.ts";
import { onboardThroughProcess, type ProcessPartner } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, DAY_MS, ManualClock, PEPPER } from "./harness.ts";
import { opensslKeyAndCsr, opensslSelfSigned } from "./openssl.ts";
import { type ProcessBackend, processBackend } from "./process-backend.ts";
import { type TlsResponse, tlsRequest } from "./tls-client.ts";

let dataDir: string;
let server: RunningServer;
let clock: ManualClock;
let caPem: string;
let backend: ProcessBackend;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-mtls-"));
  clock = new ManualClock(new Date().toISOString());
  backend = await processBackend();
  const config = loadConfig({
    ...backend.env,
    DATA_DIR: dataDir,
    PORT: "0",
    TLS_PORT: "0",
    ADMIN_TOKEN,
    PEPPER,
  });
  server = await startServer(config, createLogger({ level: "silent" }), { clock, random: systemRandom });
  caPem = readFileSync(join(dataDir, "ca-cert.pem"), "utf8");
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  await backend.cleanup();
});

type Partner = ProcessPartner;

const onboard = (name: string): Promise<Partner> => onboardThroughProcess(server, name);

const tls = (
  partner: Partner,
  path: string,
  options: { method?: string; body?: unknown; client?: { certPem: string; keyPem: string } } = {},
): Promise<TlsResponse> =>
  tlsRequest({
    url: server.tlsUrl ?? "",
    path,
    caPem,
    headers: { authorization: `Basic ${partner.apiKey}` },
    ...options,
  });

async function issue(partner: Partner, commonName = accountShortId(partner.accountId)) {
  const { keyPem, csrPem } = opensslKeyAndCsr({ commonName });
  const response = await tls(partner, "/v1/account/client-certificates", {
    method: "POST",
    body: { description: "payments gateway", certificate_signing_request: csrPem },
  });
  return { response, keyPem, body: JSON.parse(response.body) as Record<string, string> };
}

const STATUS = "klarna-mtls-verification-status";

describe("mTLS over real TLS connections", () => {
  it("reports NOT_PRESENT, VALID and INVALID, and enforces from NOW and from a scheduled time", async () => {
    const partner = await onboard("Acme mTLS");
    const other = await onboard("Other mTLS");

    const before = await tls(partner, "/v1/account");
    expect(before.status).toBe(200);
    expect(before.headers[STATUS]).toBeUndefined();

    // Refused without a certificate on the account.
    const early = await tls(partner, "/v1/account/mtls-enforcement", {
      method: "PUT",
      body: { enforced_from: "NOW" },
    });
    expect(early.status).toBe(409);

    const first = await issue(partner);
    expect(first.response.status).toBe(200);
    expect(first.body).toMatchObject({ status: "VALID", description: "payments gateway" });
    const mine = { certPem: first.body.certificate ?? "", keyPem: first.keyPem };
    expect(Date.parse(first.body.not_after ?? "") - Date.parse(first.body.not_before ?? "")).toBe(
      365 * DAY_MS,
    );

    expect((await tls(partner, "/v1/account")).headers[STATUS]).toBe("NOT_PRESENT");
    expect((await tls(partner, "/v1/account", { client: mine })).headers[STATUS]).toBe("VALID");
    // Over plain HTTP a certificate cannot be presented at all.
    const plain = await fetch(`${server.url}/v1/account`, {
      headers: { authorization: `Basic ${partner.apiKey}` },
    });
    expect(plain.headers.get(STATUS)).toBe("NOT_PRESENT");
    // HSTS over HTTPS only (a header over plain HTTP would be ignored by browsers anyway).
    expect((await tls(partner, "/v1/account")).headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(plain.headers.get("strict-transport-security")).toBeNull();

    const foreign = opensslSelfSigned(accountShortId(partner.accountId));
    expect((await tls(partner, "/v1/account", { client: foreign })).headers[STATUS]).toBe("INVALID");
    const otherCert = await issue(other);
    const theirs = { certPem: otherCert.body.certificate ?? "", keyPem: otherCert.keyPem };
    expect((await tls(partner, "/v1/account", { client: theirs })).headers[STATUS]).toBe("INVALID");
    expect((await tls(other, "/v1/account", { client: theirs })).headers[STATUS]).toBe("VALID");

    const second = await issue(partner);
    const revokedCert = { certPem: second.body.certificate ?? "", keyPem: second.keyPem };
    expect((await tls(partner, "/v1/account", { client: revokedCert })).headers[STATUS]).toBe("VALID");
    const revoke = await tls(partner, `/v1/account/client-certificates/${second.body.certificate_id}`, {
      method: "DELETE",
    });
    expect(revoke.status).toBe(204);
    expect((await tls(partner, "/v1/account", { client: revokedCert })).headers[STATUS]).toBe("INVALID");
    const listed = JSON.parse((await tls(partner, "/v1/account/client-certificates")).body) as {
      client_certificates: { status: string }[];
    };
    expect(listed.client_certificates.map((c) => c.status)).toEqual(["REVOKED", "VALID"]);

    // Enforcing NOW from a request without the certificate would lock the caller out: refused.
    const lockout = await tls(partner, "/v1/account/mtls-enforcement", {
      method: "PUT",
      body: { enforced_from: "NOW" },
    });
    expect(lockout.status).toBe(409);
    expect((await tls(partner, "/v1/account")).status).toBe(200);

    // Enforcement from NOW: the key alone is refused, key + valid certificate works.
    const enforce = await tls(partner, "/v1/account/mtls-enforcement", {
      method: "PUT",
      body: { enforced_from: "NOW" },
      client: mine,
    });
    expect(enforce.status).toBe(200);
    expect(JSON.parse(enforce.body)).toMatchObject({ status: "ENFORCED", mtls_enabled: true });
    const keyOnly = await tls(partner, "/v1/account");
    expect(keyOnly.status).toBe(401);
    expect(JSON.parse(keyOnly.body)).toMatchObject({
      error_type: "ACCESS_ERROR",
      error_code: "MTLS_REQUIRED",
    });
    expect(keyOnly.headers[STATUS]).toBe("NOT_PRESENT");
    expect((await tls(partner, "/v1/account", { client: foreign })).status).toBe(401);
    expect((await tls(partner, "/v1/account", { client: revokedCert })).status).toBe(401);
    expect((await tls(partner, "/v1/account", { client: mine })).status).toBe(200);
    const plainRefused = await fetch(`${server.url}/v1/account`, {
      headers: { authorization: `Basic ${partner.apiKey}` },
    });
    expect(plainRefused.status).toBe(401);

    // Lifting needs the certificate too.
    const lift = await tls(partner, "/v1/account/mtls-enforcement", { method: "DELETE", client: mine });
    expect(lift.status).toBe(200);
    expect(JSON.parse(lift.body)).toMatchObject({ status: "NOT_ENFORCED" });
    expect((await tls(partner, "/v1/account")).status).toBe(200);

    // Scheduled enforcement takes effect at its time.
    const at = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const scheduled = await tls(partner, "/v1/account/mtls-enforcement", {
      method: "PUT",
      body: { enforced_from: at },
    });
    expect(JSON.parse(scheduled.body)).toMatchObject({ status: "SCHEDULED", enforced_from: at });
    expect((await tls(partner, "/v1/account")).status).toBe(200);
    clock.advance(3_600_000);
    expect((await tls(partner, "/v1/account")).status).toBe(401);
    expect((await tls(partner, "/v1/account", { client: mine })).status).toBe(200);
    const liftWithoutCert = await tls(partner, "/v1/account/mtls-enforcement", { method: "DELETE" });
    expect(liftWithoutCert.status).toBe(401);
    expect(
      (await tls(partner, "/v1/account/mtls-enforcement", { method: "DELETE", client: mine })).status,
    ).toBe(200);

    // An expired certificate is INVALID.
    clock.advance(366 * DAY_MS);
    expect((await tls(partner, "/v1/account", { client: mine })).headers[STATUS]).toBe("INVALID");
    clock.advance(-(366 * DAY_MS + 3_600_000));

    const events = JSON.parse((await tls(partner, "/v1/account/audit-events?page_size=100")).body) as {
      audit_events: { action: string }[];
    };
    const actions = events.audit_events.map((e) => e.action);
    for (const action of [
      "client_certificate.created",
      "client_certificate.revoked",
      "mtls_enforcement.set",
      "mtls_enforcement.lifted",
    ]) {
      expect(actions).toContain(action);
    }
  });

  it("applies the IP allow-list to 127.0.0.1 over a real connection", async () => {
    const partner = await onboard("IP over TLS");
    const put = (body: object) => tls(partner, "/v1/account/ip-restriction", { method: "PUT", body });
    expect((await put({ enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/8"] })).status).toBe(200);
    const reported = await tls(partner, "/v1/account");
    expect(reported.status).toBe(200);
    expect(reported.headers["klarna-ip-validation-status"]).toBe("DENIED");
    expect((await put({ enforcement_mode: "REPORTING", allowed_ips: ["127.0.0.0/8"] })).status).toBe(200);
    expect((await tls(partner, "/v1/account")).headers["klarna-ip-validation-status"]).toBe("ALLOWED");
    expect((await put({ enforcement_mode: "ENFORCED", allowed_ips: ["10.0.0.0/8"] })).status).toBe(409);
    expect(
      (await put({ enforcement_mode: "ENFORCED", allowed_ips: ["10.0.0.0/8"], force: true })).status,
    ).toBe(200);
    const blocked = await tls(partner, "/v1/account");
    expect(blocked.status).toBe(403);
    expect(JSON.parse(blocked.body)).toMatchObject({ error_code: "IP_NOT_ALLOWED" });
    expect(blocked.headers["klarna-ip-validation-status"]).toBeUndefined();
  });

  it("refuses TLS older than 1.2", async () => {
    const { connect } = await import("node:tls");
    const port = Number(new URL(server.tlsUrl ?? "").port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({
        host: "127.0.0.1",
        port,
        maxVersion: "TLSv1.1",
        minVersion: "TLSv1",
        rejectUnauthorized: false,
      });
      socket.once("secureConnect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error) => resolve(error.message));
    });
    // The server answers with a protocol-version alert (not a client-side refusal to try).
    expect(outcome).toMatch(/alert protocol version/);
  });

  it("refuses bad CSRs and bad enforcement times, changing nothing", async () => {
    const partner = await onboard("Strict CSR");
    const shortId = accountShortId(partner.accountId);
    for (const csr of [
      "not a csr",
      opensslKeyAndCsr({ commonName: shortId, key: "rsa" }).csrPem,
      opensslKeyAndCsr({ commonName: shortId, key: "p384" }).csrPem,
      opensslKeyAndCsr({ commonName: "WRONGCN1" }).csrPem,
    ]) {
      const response = await tls(partner, "/v1/account/client-certificates", {
        method: "POST",
        body: { certificate_signing_request: csr },
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({
        error_code: "VALIDATION_ERROR",
        errors: [{ parameter: "certificate_signing_request" }],
      });
    }
    const listed = JSON.parse((await tls(partner, "/v1/account/client-certificates")).body) as {
      client_certificates: [];
    };
    expect(listed.client_certificates).toEqual([]);

    await issue(partner);
    const now = clock.now().getTime();
    for (const enforcedFrom of [
      new Date(now - 60_000).toISOString(),
      new Date(now + 93 * DAY_MS).toISOString(),
      "tomorrow",
      "2027-01-01",
      // Not real instants, though JavaScript would roll them over into the allowed range.
      `${new Date(now + DAY_MS).toISOString().slice(0, 10)}T24:00:00Z`,
      `${new Date(now + 10 * DAY_MS).toISOString().slice(0, 8)}32T00:00:00Z`,
    ]) {
      const response = await tls(partner, "/v1/account/mtls-enforcement", {
        method: "PUT",
        body: { enforced_from: enforcedFrom },
      });
      expect(response.status, enforcedFrom).toBe(400);
    }
    const state = JSON.parse((await tls(partner, "/v1/account/mtls-enforcement")).body);
    expect(state).toMatchObject({ status: "NOT_ENFORCED", mtls_enabled: true });
  });
});
