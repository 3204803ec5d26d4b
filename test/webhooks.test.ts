import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { accountShortId } from "../src/domain/identifiers.ts";
import { RETRY_OFFSETS_MS } from "../src/domain/webhook-delivery.ts";
import { httpsTransport } from "../src/webhooks/https-transport.ts";
import { it } from "./fixtures.ts";
import {
  basic,
  DAY_MS,
  type Harness,
  json,
  type OnboardedPartner,
  onboardAcquiringPartner,
  onboardPartnerAccount,
} from "./harness.ts";
import { opensslKeyAndCsr } from "./openssl.ts";
import {
  type Receiver,
  type ReceiverCertificate,
  receiverCertificate,
  startReceiver,
  verifyDelivery,
} from "./webhook-receiver.ts";

let certificate: ReceiverCertificate;
let receiver: Receiver;

beforeAll(async () => {
  certificate = receiverCertificate();
  receiver = await startReceiver(certificate);
});

afterAll(async () => {
  await receiver.close();
  certificate.remove();
});

/** The receiver is on this machine: private targets are allowed, and its certificate trusted. */
const DEVELOPMENT = () => ({
  WEBHOOK_ALLOW_INSECURE_TARGETS: "true",
  WEBHOOK_CA_FILE: certificate.caFile,
});

interface EndpointAnswer {
  endpoint_id: string;
  url: string;
  events: string[];
  status: string;
  secret?: string;
  previous_secret_expires_at?: string;
}

interface DeliveryAnswer {
  delivery_id: string;
  message_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at?: string;
  last_response_code?: number;
}

const ALL_EVENTS = [
  "credential.created",
  "credential.disabled",
  "credential.enabled",
  "credential.rotated",
  "credential.rotation_ending",
  "credential.inactivity_warning",
  "credential.deleted",
  "credential.leaked",
  "certificate.expiring",
  "certificate.revoked",
  "mtls.enforcement_scheduled",
  "mtls.enforced",
  "ip_restriction.changed",
];

async function call(
  h: Harness,
  partner: OnboardedPartner,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  payload?: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return h.app.inject({
    method,
    url,
    headers: basic(partner.apiKey),
    ...(payload === undefined ? {} : { payload }),
  });
}

async function register(
  h: Harness,
  partner: OnboardedPartner,
  events: string[] = ALL_EVENTS,
  url = receiver.url,
): Promise<EndpointAnswer & { secret: string }> {
  const created = await call(h, partner, "POST", "/v1/account/webhooks", {
    url,
    events,
    description: "lifecycle events",
  });
  if (created.statusCode !== 200) throw new Error(`register: ${created.statusCode} ${created.body}`);
  return json<EndpointAnswer & { secret: string }>(created);
}

async function deliveries(
  h: Harness,
  partner: OnboardedPartner,
  endpointId: string,
): Promise<DeliveryAnswer[]> {
  const listed = await call(h, partner, "GET", `/v1/account/webhooks/${endpointId}/deliveries?page_size=100`);
  return json<{ deliveries: DeliveryAnswer[] }>(listed).deliveries;
}

/** What the receiver got from now on, during `action`. */
async function receivedDuring(action: () => Promise<void>) {
  const before = receiver.received.length;
  await action();
  return receiver.received.slice(before);
}

describe("lifecycle webhooks", () => {
  it("delivers each change once, signed by the Standard Webhooks scheme, with ids and never a secret", async ({
    startHarness,
  }) => {
    const h = await startHarness(DEVELOPMENT());
    const partner = await onboardAcquiringPartner(h);
    h.startJobs({ only: ["webhook-dispatch", "lifecycle-notices"] });
    const endpoint = await register(h, partner);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: receiver.url, status: "ACTIVE", events: ALL_EVENTS });

    // Listed, the endpoint never shows its secret again.
    const listed = json<{ webhooks: EndpointAnswer[] }>(
      await call(h, partner, "GET", "/v1/account/webhooks"),
    );
    expect(listed.webhooks.map((w) => w.endpoint_id)).toEqual([endpoint.endpoint_id]);
    expect(listed.webhooks[0]?.secret).toBeUndefined();

    const created = json<{ credential_id: string; api_key: string }>(
      await call(h, partner, "POST", "/v1/account/credentials", { type: "API", environment: "LIVE" }),
    );
    const id = created.credential_id;
    expect((await call(h, partner, "DELETE", `/v1/account/credentials/${id}`)).statusCode).toBe(204);
    expect((await call(h, partner, "POST", `/v1/account/credentials/${id}/enable`)).statusCode).toBe(200);
    const rotated = await call(h, partner, "POST", `/v1/account/credentials/${id}/rotate`, {
      overlap: "PT24H",
    });
    expect(rotated.statusCode).toBe(200);
    const put = await call(h, partner, "PUT", "/v1/account/ip-restriction", {
      enforcement_mode: "REPORTING",
      allowed_ips: ["203.0.113.0/24"],
    });
    expect(put.statusCode).toBe(200);
    // Certificates: one revoked, another kept, and enforcement scheduled a week ahead.
    const issue = async (): Promise<string> => {
      const { csrPem } = opensslKeyAndCsr({ commonName: accountShortId(partner.accountId) });
      const issued = await call(h, partner, "POST", "/v1/account/client-certificates", {
        certificate_signing_request: csrPem,
      });
      expect(issued.statusCode).toBe(200);
      return json<{ certificate_id: string }>(issued).certificate_id;
    };
    const revokedId = await issue();
    const revoked = await call(h, partner, "DELETE", `/v1/account/client-certificates/${revokedId}`);
    expect(revoked.statusCode).toBe(204);
    await issue();
    const scheduled = await call(h, partner, "PUT", "/v1/account/mtls-enforcement", {
      enforced_from: new Date(h.clock.now().getTime() + 7 * DAY_MS).toISOString(),
    });
    expect(scheduled.statusCode).toBe(200);

    // Nothing leaves before the dispatcher runs; then each event exactly once.
    expect(await deliveries(h, partner, endpoint.endpoint_id)).toHaveLength(8);
    const got = await receivedDuring(() => h.ticker.fire("webhook-dispatch"));
    expect(got.map((d) => d.payload.type).sort()).toEqual(
      [
        "credential.created",
        "credential.disabled",
        "credential.enabled",
        "credential.rotated",
        "credential.created",
        "ip_restriction.changed",
        "certificate.revoked",
        "mtls.enforcement_scheduled",
      ].sort(),
    );
    for (const delivery of got) {
      expect(verifyDelivery(endpoint.secret, delivery, h.clock.now())).toEqual(delivery.payload);
      expect(delivery.headers["webhook-id"]).toMatch(/^msg_[0-9a-f-]{36}$/);
      expect(Number(delivery.headers["webhook-timestamp"])).toBe(Math.floor(h.clock.now().getTime() / 1000));
      expect(delivery.payload.data.account_id).toBe(partner.accountId);
      expect(delivery.body).not.toContain(endpoint.secret.slice("whsec_".length));
      expect(delivery.body).not.toContain(created.api_key);
      expect(delivery.body).not.toMatch(/klarna_(live|test)_api_/);
      expect(delivery.body).not.toMatch(/"(secret|api_key|secret_hash)"/);
    }
    const disabled = got.find((d) => d.payload.type === "credential.disabled");
    expect(disabled?.payload.data).toMatchObject({
      credential_id: id,
      reason: "PARTNER",
      status_after: "DISABLED",
    });
    const enforcedFrom = new Date(h.clock.now().getTime() + 7 * DAY_MS).toISOString();
    const scheduledEvent = got.find((d) => d.payload.type === "mtls.enforcement_scheduled");
    expect(scheduledEvent?.payload.data.enforced_from).toBe(enforcedFrom);
    expect(got.find((d) => d.payload.type === "certificate.revoked")?.payload.data).toMatchObject({
      certificate_id: revokedId,
      status_after: "REVOKED",
    });
    expect(await receivedDuring(() => h.ticker.fire("webhook-dispatch"))).toEqual([]);
    const metrics = (await h.internal.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('partner_credentials_webhook_attempts_total{outcome="delivered"} 8');

    const log = await deliveries(h, partner, endpoint.endpoint_id);
    expect(log.map((d) => [d.status, d.attempts, d.last_response_code])).toEqual(
      log.map(() => ["SUCCEEDED", 1, 200]),
    );

    // A test message, and a redelivery of an earlier one (same webhook-id and body).
    const test = await call(h, partner, "POST", `/v1/account/webhooks/${endpoint.endpoint_id}/test`);
    expect(test.statusCode).toBe(202);
    const first = log[log.length - 1] as DeliveryAnswer;
    const redeliver = await call(
      h,
      partner,
      "POST",
      `/v1/account/webhooks/${endpoint.endpoint_id}/deliveries/${first.delivery_id}/redeliver`,
    );
    expect(redeliver.statusCode).toBe(202);
    const more = await receivedDuring(() => h.ticker.fire("webhook-dispatch"));
    expect(more.map((d) => d.payload.type).sort()).toEqual([first.event_type, "webhook.test"].sort());
    for (const delivery of more) verifyDelivery(endpoint.secret, delivery, h.clock.now());
    const again = more.find((d) => d.payload.type === first.event_type);
    expect(again?.headers["webhook-id"]).toBe(first.message_id);

    // Removed, the endpoint gets nothing more.
    expect(
      (await call(h, partner, "DELETE", `/v1/account/webhooks/${endpoint.endpoint_id}`)).statusCode,
    ).toBe(204);
    await call(h, partner, "POST", "/v1/account/credentials", { type: "API", environment: "TEST" });
    expect(await receivedDuring(() => h.ticker.fire("webhook-dispatch"))).toEqual([]);

    // The enforcement scheduled begins: `mtls.enforced`, once, to the endpoint subscribed then.
    const watcher = await register(h, partner, ["mtls.enforced"]);
    h.clock.advance(7 * DAY_MS + 1);
    const enforced = await receivedDuring(async () => {
      await h.ticker.fire("lifecycle-notices");
      await h.ticker.fire("webhook-dispatch");
      await h.ticker.fire("lifecycle-notices");
      await h.ticker.fire("webhook-dispatch");
    });
    expect(enforced.map((d) => [d.payload.type, d.payload.data.enforced_from])).toEqual([
      ["mtls.enforced", enforcedFrom],
    ]);
    verifyDelivery(watcher.secret, enforced[0] as (typeof enforced)[number], h.clock.now());
  });

  it("a Partner Account's webhooks are managed under /v1/accounts/{account_id}/webhooks", async ({
    startHarness,
  }) => {
    const h = await startHarness(DEVELOPMENT());
    const parent = await onboardAcquiringPartner(h);
    const child = await onboardPartnerAccount(h, parent, "Shop One");
    const created = await call(h, parent, "POST", `/v1/accounts/${child.accountId}/webhooks`, {
      url: receiver.url,
      events: ["credential.created"],
    });
    expect(created.statusCode).toBe(200);
    const endpoint = json<EndpointAnswer & { secret: string }>(created);
    const listedByChild = json<{ webhooks: EndpointAnswer[] }>(
      await call(h, child, "GET", "/v1/account/webhooks"),
    );
    expect(listedByChild.webhooks.map((w) => w.endpoint_id)).toEqual([endpoint.endpoint_id]);
    await call(h, child, "POST", "/v1/account/credentials", { type: "API", environment: "LIVE" });
    h.startJobs({ only: ["webhook-dispatch"] });
    const got = await receivedDuring(() => h.ticker.fire("webhook-dispatch"));
    expect(got.map((d) => [d.payload.type, d.payload.data.account_id])).toEqual([
      ["credential.created", child.accountId],
    ]);
    verifyDelivery(endpoint.secret, got[0] as (typeof got)[number], h.clock.now());

    // An endpoint receives every environment's events: a TEST key may not manage one.
    const testKey = json<{ api_key: string }>(
      await call(h, parent, "POST", "/v1/account/credentials", { type: "API", environment: "TEST" }),
    ).api_key;
    const refused = await h.app.inject({
      method: "POST",
      url: "/v1/account/webhooks",
      headers: basic(testKey),
      payload: { url: receiver.url, events: ["credential.created"] },
    });
    expect(refused.statusCode).toBe(403);
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account/webhooks", headers: basic(testKey) }))
        .statusCode,
    ).toBe(403);
  });

  it("rotate-secret: the old secret keeps signing beside the new one for 24 hours, then only the new one", async ({
    startHarness,
  }) => {
    const h = await startHarness(DEVELOPMENT());
    const partner = await onboardAcquiringPartner(h);
    h.startJobs({ only: ["webhook-dispatch", "webhook-purge"] });
    const endpoint = await register(h, partner, ["credential.created"]);
    const rotated = await call(
      h,
      partner,
      "POST",
      `/v1/account/webhooks/${endpoint.endpoint_id}/rotate-secret`,
    );
    expect(rotated.statusCode).toBe(200);
    const { secret: next, previous_secret_expires_at } = json<EndpointAnswer & { secret: string }>(rotated);
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(endpoint.secret);
    expect(previous_secret_expires_at).toBe(new Date(h.clock.now().getTime() + DAY_MS).toISOString());

    await call(h, partner, "POST", `/v1/account/webhooks/${endpoint.endpoint_id}/test`);
    const [during] = await receivedDuring(() => h.ticker.fire("webhook-dispatch"));
    if (!during) throw new Error("no delivery");
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    verifyDelivery(endpoint.secret, during, h.clock.now());
    verifyDelivery(next, during, h.clock.now());

    h.clock.advance(DAY_MS + 1);
    await call(h, partner, "POST", `/v1/account/webhooks/${endpoint.endpoint_id}/test`);
    const [after] = await receivedDuring(() => h.ticker.fire("webhook-dispatch"));
    if (!after) throw new Error("no delivery");
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    verifyDelivery(next, after, h.clock.now());
    expect(() => verifyDelivery(endpoint.secret, after, h.clock.now())).toThrow();

    // The log keeps settled deliveries 30 days.
    expect(await deliveries(h, partner, endpoint.endpoint_id)).toHaveLength(2);
    h.clock.advance(30 * DAY_MS + 1);
    await h.ticker.fire("webhook-purge");
    expect(await deliveries(h, partner, endpoint.endpoint_id)).toEqual([]);
  });

  it("a receiver answering 500 is tried again on the documented schedule; failing for 3 days disables the endpoint", async ({
    startHarness,
  }) => {
    const h = await startHarness(DEVELOPMENT());
    const partner = await onboardAcquiringPartner(h);
    h.startJobs({ only: ["webhook-dispatch"] });
    const endpoint = await register(h, partner, ["credential.created"]);
    receiver.answer(500);
    try {
      await call(h, partner, "POST", "/v1/account/credentials", { type: "API", environment: "LIVE" });
      const first = h.clock.now().getTime();
      const attempts: number[] = [];
      for (const [index, offset] of RETRY_OFFSETS_MS.entries()) {
        // Not a moment early…
        h.clock.advance(first + offset - 1 - h.clock.now().getTime());
        if (index > 0) expect(await receivedDuring(() => h.ticker.fire("webhook-dispatch"))).toEqual([]);
        // …and on time.
        h.clock.advance(1);
        const got = await receivedDuring(() => h.ticker.fire("webhook-dispatch"));
        expect(got).toHaveLength(1);
        verifyDelivery(endpoint.secret, got[0] as (typeof got)[number], h.clock.now());
        attempts.push(h.clock.now().getTime() - first);
        const [state] = await deliveries(h, partner, endpoint.endpoint_id);
        expect(state).toMatchObject({ attempts: index + 1, last_response_code: 500 });
      }
      expect(attempts).toEqual([...RETRY_OFFSETS_MS]);
      const ids = new Set(
        receiver.received.slice(-RETRY_OFFSETS_MS.length).map((d) => d.headers["webhook-id"]),
      );
      expect(ids.size).toBe(1);

      const [state] = await deliveries(h, partner, endpoint.endpoint_id);
      expect(state).toMatchObject({ status: "FAILED", attempts: 10 });
      // The operator sees the same on /metrics.
      const metrics = (await h.internal.inject({ method: "GET", url: "/metrics" })).body;
      expect(metrics).toContain('partner_credentials_webhook_attempts_total{outcome="failed"} 10');
      expect(metrics).not.toContain('partner_credentials_webhook_attempts_total{outcome="delivered"}');
      expect(metrics).toContain("partner_credentials_webhook_endpoints_disabled_total 1");
      const listed = json<{ webhooks: EndpointAnswer[] }>(
        await call(h, partner, "GET", "/v1/account/webhooks"),
      );
      expect(listed.webhooks[0]?.status).toBe("DISABLED");
      const trail = json<{ audit_events: { action: string; target_id: string; reason?: string }[] }>(
        await call(h, partner, "GET", "/v1/account/audit-events"),
      );
      expect(trail.audit_events[0]).toMatchObject({
        action: "webhook_endpoint.disabled",
        target_id: endpoint.endpoint_id,
        reason: "FAILING",
      });
      h.clock.advance(DAY_MS);
      expect(await receivedDuring(() => h.ticker.fire("webhook-dispatch"))).toEqual([]);
      const test = await call(h, partner, "POST", `/v1/account/webhooks/${endpoint.endpoint_id}/test`);
      expect(test.statusCode).toBe(409);
    } finally {
      receiver.answer(200);
    }
  });

  it("refuses targets on private, loopback, link-local and metadata addresses unless the development setting is on", async ({
    startHarness,
  }) => {
    const strict = await startHarness();
    const partner = await onboardAcquiringPartner(strict);
    for (const url of [
      receiver.url,
      "https://127.0.0.1/hooks",
      "https://10.1.2.3/hooks",
      "https://100.64.0.1/hooks",
      "https://169.254.169.254/latest/meta-data",
      "https://[fd00:ec2::254]/hooks",
      "https://[::1]/hooks",
      "https://[::ffff:127.0.0.1]/hooks",
      "https://224.0.0.1/hooks",
      "http://hooks.example.com/",
      "ftp://hooks.example.com/",
      "https://user:pass@hooks.example.com/",
    ]) {
      const refused = await call(strict, partner, "POST", "/v1/account/webhooks", {
        url,
        events: ["credential.created"],
      });
      expect(refused.statusCode, url).toBe(400);
      expect(json<{ errors: { parameter: string }[] }>(refused).errors[0]?.parameter).toBe("url");
    }
    const unknown = await call(strict, partner, "POST", "/v1/account/webhooks", {
      url: "https://hooks.example.com/",
      events: ["credential.exploded"],
    });
    expect(unknown.statusCode).toBe(400);
    expect(json(await call(strict, partner, "GET", "/v1/account/webhooks"))).toEqual({ webhooks: [] });

    // At delivery, the name is resolved again and the connection goes to the address checked.
    const resolvesPrivate = httpsTransport({
      allowInsecure: false,
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    const before = receiver.received.length;
    const port = new URL(receiver.url).port;
    const sent = await resolvesPrivate.send(
      { url: `https://hooks.example.com:${port}/hooks`, headers: {}, body: "{}" },
      AbortSignal.timeout(5_000),
    );
    expect(sent).toMatchObject({ kind: "FAILED", error: expect.stringMatching(/^refused/) });
    expect(receiver.received.length).toBe(before);

    // Certificates are verified whatever the setting: without the receiver's CA, no delivery.
    const untrusting = httpsTransport({ allowInsecure: true });
    const unverified = await untrusting.send(
      { url: receiver.url, headers: {}, body: "{}" },
      AbortSignal.timeout(5_000),
    );
    expect(unverified).toMatchObject({ kind: "FAILED", error: expect.stringMatching(/certificate/i) });
    expect(receiver.received.length).toBe(before);

    // With the development setting on, the same receiver is accepted.
    const development = await startHarness(DEVELOPMENT());
    const other = await onboardAcquiringPartner(development);
    expect((await register(development, other, ["credential.created"])).status).toBe("ACTIVE");
  });

  it("the sweep's inactivity warning, a certificate 30 days from expiry and a rotation 1 h from its end each produce their event once", async ({
    startHarness,
  }) => {
    const h = await startHarness(DEVELOPMENT());
    const partner = await onboardAcquiringPartner(h);
    h.startJobs({ only: ["webhook-dispatch", "lifecycle-notices", "lifecycle-sweep"] });
    const endpoint = await register(h, partner, [
      "credential.inactivity_warning",
      "credential.rotation_ending",
      "certificate.expiring",
    ]);
    const run = async (...jobs: ("lifecycle-notices" | "lifecycle-sweep")[]) =>
      receivedDuring(async () => {
        for (const job of jobs) await h.ticker.fire(job);
        await h.ticker.fire("webhook-dispatch");
      });

    // A rotation whose overlap ends in 3 hours: nothing yet; 1 hour before its end, the event, once.
    const key = json<{ credential_id: string }>(
      await call(h, partner, "POST", "/v1/account/credentials", { type: "API", environment: "LIVE" }),
    );
    await call(h, partner, "POST", `/v1/account/credentials/${key.credential_id}/rotate`, {
      overlap: "PT3H",
    });
    const expiresAt = new Date(h.clock.now().getTime() + 3 * 3_600_000).toISOString();
    expect(await run("lifecycle-notices")).toEqual([]);
    h.clock.advance(2 * 3_600_000);
    const ending = await run("lifecycle-notices");
    expect(ending.map((d) => d.payload)).toEqual([
      {
        type: "credential.rotation_ending",
        timestamp: h.clock.now().toISOString(),
        data: expect.objectContaining({ credential_id: key.credential_id, expires_at: expiresAt }),
      },
    ]);
    verifyDelivery(endpoint.secret, ending[0] as (typeof ending)[number], h.clock.now());
    h.clock.advance(60_000);
    expect(await run("lifecycle-notices")).toEqual([]);

    // A client certificate (valid 365 days): 30 days before its end, then 7 days before.
    const { csrPem } = opensslKeyAndCsr({ commonName: accountShortId(partner.accountId) });
    const issued = await call(h, partner, "POST", "/v1/account/client-certificates", {
      certificate_signing_request: csrPem,
    });
    expect(issued.statusCode).toBe(200);
    const certificateId = json<{ certificate_id: string }>(issued).certificate_id;
    const notAfter = json<{ not_after: string }>(issued).not_after;
    h.clock.advance(Date.parse(notAfter) - 31 * DAY_MS - h.clock.now().getTime());
    expect((await run("lifecycle-notices")).filter((d) => d.payload.type === "certificate.expiring")).toEqual(
      [],
    );
    h.clock.advance(DAY_MS + 60_000);
    const expiring = await run("lifecycle-notices");
    expect(expiring.map((d) => d.payload.data)).toEqual([
      expect.objectContaining({ certificate_id: certificateId, not_after: notAfter, days_before: "30" }),
    ]);
    expect(await run("lifecycle-notices")).toEqual([]);
    h.clock.advance(23 * DAY_MS);
    const week = await run("lifecycle-notices");
    expect(week.map((d) => [d.payload.type, d.payload.data.days_before])).toEqual([
      ["certificate.expiring", "7"],
    ]);

    // The sweep's inactivity warning (7 days before the 60-day inactivity disable).
    const idle = await startHarness(DEVELOPMENT());
    const quiet = await onboardAcquiringPartner(idle);
    idle.startJobs({ only: ["webhook-dispatch", "lifecycle-sweep"] });
    const watcher = await register(idle, quiet, ["credential.inactivity_warning"]);
    idle.clock.advance(54 * DAY_MS);
    const warned = await receivedDuring(async () => {
      await idle.ticker.fire("lifecycle-sweep");
      await idle.ticker.fire("webhook-dispatch");
    });
    expect(warned.map((d) => [d.payload.type, d.payload.data.credential_id])).toEqual([
      ["credential.inactivity_warning", quiet.credentialId],
    ]);
    verifyDelivery(watcher.secret, warned[0] as (typeof warned)[number], idle.clock.now());
  });

  it("dispatchers claiming at once each take different deliveries (FOR UPDATE SKIP LOCKED on PostgreSQL)", async ({
    startHarness,
  }) => {
    const h = await startHarness(DEVELOPMENT());
    const partner = await onboardAcquiringPartner(h);
    const endpoint = await register(h, partner, ["credential.created"]);
    const queued = await Promise.all(
      Array.from({ length: 120 }, () =>
        call(h, partner, "POST", `/v1/account/webhooks/${endpoint.endpoint_id}/test`),
      ),
    );
    expect(queued.every((r) => r.statusCode === 202)).toBe(true);
    const now = h.clock.now();
    const claims = await Promise.all(
      Array.from({ length: 4 }, () =>
        h.store.claimDueWebhookDeliveries({ now, leaseUntil: new Date(now.getTime() + 60_000), limit: 50 }),
      ),
    );
    const ids = claims.flat().map((c) => c.delivery.deliveryId);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it("keeps no signing secret in clear at rest", async ({ startHarness }) => {
    const h = await startHarness(DEVELOPMENT());
    const partner = await onboardAcquiringPartner(h);
    const endpoint = await register(h, partner, ["credential.created"]);
    const rotated = json<EndpointAnswer & { secret: string }>(
      await call(h, partner, "POST", `/v1/account/webhooks/${endpoint.endpoint_id}/rotate-secret`),
    );
    const stored = await h.storedBytes();
    for (const secret of [endpoint.secret, rotated.secret]) {
      const keyText = secret.slice("whsec_".length);
      expect(stored.includes(secret)).toBe(false);
      expect(stored.includes(keyText)).toBe(false);
      expect(stored.includes(Buffer.from(keyText, "base64"))).toBe(false);
      expect(stored.includes(Buffer.from(keyText, "base64").toString("hex"))).toBe(false);
    }
  });
});
