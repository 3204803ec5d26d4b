import { expect, it } from "vitest";
import type { WebhookDelivery, WebhookEndpoint } from "../../src/domain/webhook-endpoint.ts";
import {
  certificateNoticeKey,
  certificateNoticeWindows,
  mtlsEnforcedNoticeKey,
  rotationEndingNoticeKey,
  type WebhookEventType,
} from "../../src/domain/webhook-events.ts";
import type { WebhookAttempt } from "../../src/store/webhook-port.ts";
import {
  at,
  DAY,
  HOUR,
  MINUTE,
  makeAccount,
  makeAudit,
  makeCertificate,
  makeCredential,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

const hex12 = (n: number): string => n.toString(16).padStart(12, "0");
const endpointId = (n: number): string => `0190a1b2-0e0e-7000-8000-${hex12(n)}`;
const deliveryId = (n: number): string => `0190a1b2-0d0d-7000-8000-${hex12(n)}`;

function makeEndpoint(n: number, owner: string, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    endpointId: endpointId(n),
    accountId: owner,
    url: `https://hooks.example.com/${n}`,
    description: `Endpoint ${n}`,
    events: ["credential.created", "credential.disabled"],
    status: "ACTIVE",
    secretCiphertext: `v1.sealed-${n}`,
    previousSecretCiphertext: null,
    previousSecretExpiresAt: null,
    createdAt: at(n * MINUTE),
    failingSince: null,
    disabledAt: null,
    ...overrides,
  };
}

function makeDelivery(
  n: number,
  endpoint: WebhookEndpoint,
  overrides: Partial<WebhookDelivery> = {},
): WebhookDelivery {
  return {
    deliveryId: deliveryId(n),
    endpointId: endpoint.endpointId,
    accountId: endpoint.accountId,
    messageId: `msg_${n}`,
    eventType: "webhook.test",
    payload: `{"type":"webhook.test","n":${n}}`,
    status: "PENDING",
    attempts: 0,
    nextAttemptAt: at(n * MINUTE),
    firstAttemptAt: null,
    lastAttemptAt: null,
    lastResponseCode: null,
    lastError: null,
    createdAt: at(n * MINUTE),
    deliveredAt: null,
    ...overrides,
  };
}

/** Webhook endpoints, the outbox filled by audit events, claims and attempts, and the time-based notices. */
export const webhooks = contractArea("webhooks", "webhooks", (ctx) => {
  const { store, addAccount, addCredential, addCertificate, auditOf } = ctx;

  const endpointAudit = (endpoint: WebhookEndpoint, action: string) =>
    makeAudit(endpoint.accountId, { action, targetType: "WEBHOOK_ENDPOINT", targetId: endpoint.endpointId });

  async function register(endpoint: WebhookEndpoint, max = 10): Promise<boolean> {
    return store.insertWebhookEndpoint({
      endpoint,
      max,
      audit: endpointAudit(endpoint, "webhook_endpoint.created"),
    });
  }

  const attempt = (delivery: WebhookDelivery, overrides: Partial<WebhookAttempt> = {}): WebhookAttempt => ({
    deliveryId: delivery.deliveryId,
    attempt: delivery.attempts,
    at: at(HOUR),
    responseCode: 200,
    error: null,
    delivered: true,
    retryAt: null,
    disableIfFailingSince: at(HOUR - 3 * DAY),
    disableAudit: makeAudit(delivery.accountId, {
      action: "webhook_endpoint.disabled",
      targetType: "WEBHOOK_ENDPOINT",
      targetId: delivery.endpointId,
    }),
    ...overrides,
  });

  it("insertWebhookEndpoint stores an endpoint with its audit event, up to a maximum; list and find read it back", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const other = (await addAccount(makeAccount(2))).accountId;
    const first = makeEndpoint(1, a);
    const second = makeEndpoint(2, a, { events: ["certificate.expiring"] });
    expect(await register(first, 2)).toBe(true);
    expect(await register(second, 2)).toBe(true);
    expect(await register(makeEndpoint(3, a), 2)).toBe(false);
    expect(await register(makeEndpoint(4, other), 2)).toBe(true);

    expect(await store.listWebhookEndpoints(a)).toEqual([first, second]);
    expect(await store.findWebhookEndpoint(a, second.endpointId)).toEqual(second);
    expect(await store.findWebhookEndpoint(other, second.endpointId)).toBeNull();
    expect((await auditOf(a)).filter((e) => e.action === "webhook_endpoint.created")).toHaveLength(2);
  });

  it("an audit event fills the outbox once per subscribed ACTIVE endpoint of its account, in its transaction", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const other = (await addAccount(makeAccount(2))).accountId;
    const creations = makeEndpoint(1, a, { events: ["credential.created"] });
    const disables = makeEndpoint(2, a, { events: ["credential.disabled"] });
    const theirs = makeEndpoint(3, other, { events: ["credential.created"] });
    for (const e of [creations, disables, theirs]) await register(e);

    const credential = await addCredential(makeCredential(1, a, { createdAt: at(5 * MINUTE) }));
    const forCreations = await store.listWebhookDeliveries({
      accountId: a,
      endpointId: creations.endpointId,
      after: null,
      limit: 10,
    });
    expect(forCreations).toHaveLength(1);
    expect(forCreations[0]).toMatchObject({
      eventType: "credential.created",
      status: "PENDING",
      attempts: 0,
    });
    expect(JSON.parse(forCreations[0]?.payload ?? "{}")).toMatchObject({
      type: "credential.created",
      data: { account_id: a, credential_id: credential.credentialId },
    });
    expect(
      await store.listWebhookDeliveries({
        accountId: a,
        endpointId: disables.endpointId,
        after: null,
        limit: 10,
      }),
    ).toEqual([]);
    expect(
      await store.listWebhookDeliveries({
        accountId: other,
        endpointId: theirs.endpointId,
        after: null,
        limit: 10,
      }),
    ).toEqual([]);

    // A change refused (the credential exists already) rolls its delivery back with it.
    await expect(addCredential(makeCredential(1, a))).rejects.toThrow();
    expect(
      await store.listWebhookDeliveries({
        accountId: a,
        endpointId: creations.endpointId,
        after: null,
        limit: 10,
      }),
    ).toHaveLength(1);
  });

  it("claimDueWebhookDeliveries claims due deliveries of ACTIVE endpoints once, holding each until the lease ends", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const endpoint = makeEndpoint(1, a);
    await register(endpoint);
    const due = makeDelivery(1, endpoint, { nextAttemptAt: at(0) });
    const later = makeDelivery(2, endpoint, { nextAttemptAt: at(2 * HOUR) });
    await store.insertWebhookDelivery(due);
    await store.insertWebhookDelivery(later);

    const claimed = await store.claimDueWebhookDeliveries({
      now: at(HOUR),
      leaseUntil: at(HOUR + MINUTE),
      limit: 10,
    });
    expect(claimed.map((c) => c.delivery.deliveryId)).toEqual([due.deliveryId]);
    expect(claimed[0]?.endpoint).toEqual(endpoint);
    expect(claimed[0]?.delivery).toMatchObject({
      attempts: 1,
      nextAttemptAt: at(HOUR + MINUTE),
      firstAttemptAt: at(HOUR),
    });
    expect(
      await store.claimDueWebhookDeliveries({ now: at(HOUR), leaseUntil: at(HOUR + MINUTE), limit: 10 }),
    ).toEqual([]);
    // The claimer died: once the lease is over, another claim takes it, as its second attempt.
    const again = await store.claimDueWebhookDeliveries({
      now: at(HOUR + MINUTE),
      leaseUntil: at(HOUR + 2 * MINUTE),
      limit: 10,
    });
    expect(again.map((c) => [c.delivery.deliveryId, c.delivery.attempts])).toEqual([[due.deliveryId, 2]]);
    expect(again[0]?.delivery.firstAttemptAt).toEqual(at(HOUR));
  });

  it("recordWebhookAttempt records a success, a retry and a last failure, only for the claim that holds", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const endpoint = makeEndpoint(1, a);
    await register(endpoint);
    await store.insertWebhookDelivery(makeDelivery(1, endpoint, { nextAttemptAt: at(0) }));
    await store.insertWebhookDelivery(makeDelivery(2, endpoint, { nextAttemptAt: at(0) }));
    const [one, two] = await store.claimDueWebhookDeliveries({
      now: at(HOUR),
      leaseUntil: at(HOUR + MINUTE),
      limit: 10,
    });
    if (!one || !two) throw new Error("two claims expected");

    expect(await store.recordWebhookAttempt(attempt(one.delivery, { attempt: 7 }))).toEqual({
      recorded: false,
      endpointDisabled: false,
    });
    expect(await store.recordWebhookAttempt(attempt(one.delivery))).toEqual({
      recorded: true,
      endpointDisabled: false,
    });
    expect(
      await store.recordWebhookAttempt(
        attempt(two.delivery, {
          delivered: false,
          responseCode: 500,
          error: "answered 500",
          retryAt: at(2 * HOUR),
        }),
      ),
    ).toEqual({ recorded: true, endpointDisabled: false });

    const log = await store.listWebhookDeliveries({
      accountId: a,
      endpointId: endpoint.endpointId,
      after: null,
      limit: 10,
    });
    expect(log.map((d) => [d.deliveryId, d.status, d.attempts, d.lastResponseCode])).toEqual([
      [deliveryId(2), "PENDING", 1, 500],
      [deliveryId(1), "SUCCEEDED", 1, 200],
    ]);
    expect(await store.findWebhookDelivery(a, endpoint.endpointId, deliveryId(1))).toMatchObject({
      deliveredAt: at(HOUR),
    });
    expect(await store.findWebhookDelivery(a, endpoint.endpointId, deliveryId(2))).toMatchObject({
      nextAttemptAt: at(2 * HOUR),
      lastError: "answered 500",
    });
    expect((await store.findWebhookEndpoint(a, endpoint.endpointId))?.failingSince).toEqual(at(HOUR));

    // The last attempt fails three days after the first failure: FAILED, and the endpoint disabled.
    const [last] = await store.claimDueWebhookDeliveries({
      now: at(HOUR + 3 * DAY),
      leaseUntil: at(HOUR + 3 * DAY + MINUTE),
      limit: 10,
    });
    if (!last) throw new Error("a claim expected");
    expect(
      await store.recordWebhookAttempt(
        attempt(last.delivery, {
          at: at(HOUR + 3 * DAY),
          delivered: false,
          responseCode: null,
          error: "timed out",
          disableIfFailingSince: at(HOUR),
        }),
      ),
    ).toEqual({ recorded: true, endpointDisabled: true });
    expect(await store.findWebhookEndpoint(a, endpoint.endpointId)).toMatchObject({
      status: "DISABLED",
      disabledAt: at(HOUR + 3 * DAY),
    });
    expect((await auditOf(a)).map((e) => e.action)).toContain("webhook_endpoint.disabled");
    await store.insertWebhookDelivery(makeDelivery(3, endpoint, { nextAttemptAt: at(0) }));
    expect(
      await store.claimDueWebhookDeliveries({ now: at(4 * DAY), leaseUntil: at(5 * DAY), limit: 10 }),
    ).toEqual([]);
  });

  it("replaceWebhookSecret keeps the replaced secret with its end; deleteWebhookEndpoint removes it and its deliveries", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const endpoint = makeEndpoint(1, a);
    await register(endpoint);
    await store.insertWebhookDelivery(makeDelivery(1, endpoint));
    const rotated = await store.replaceWebhookSecret({
      accountId: a,
      endpointId: endpoint.endpointId,
      secretCiphertext: "v1.sealed-new",
      previousExpiresAt: at(DAY),
      audit: endpointAudit(endpoint, "webhook_endpoint.secret_rotated"),
    });
    expect(rotated).toEqual({
      ...endpoint,
      secretCiphertext: "v1.sealed-new",
      previousSecretCiphertext: endpoint.secretCiphertext,
      previousSecretExpiresAt: at(DAY),
    });
    expect(
      await store.replaceWebhookSecret({
        accountId: (await addAccount(makeAccount(2))).accountId,
        endpointId: endpoint.endpointId,
        secretCiphertext: "v1.other",
        previousExpiresAt: at(DAY),
        audit: endpointAudit(endpoint, "webhook_endpoint.secret_rotated"),
      }),
    ).toBeNull();

    const deletion = {
      accountId: a,
      endpointId: endpoint.endpointId,
      audit: endpointAudit(endpoint, "webhook_endpoint.deleted"),
    };
    expect(await store.deleteWebhookEndpoint(deletion)).toBe(true);
    expect(await store.deleteWebhookEndpoint(deletion)).toBe(false);
    expect(await store.listWebhookEndpoints(a)).toEqual([]);
    expect(await store.findWebhookDelivery(a, endpoint.endpointId, deliveryId(1))).toBeNull();
  });

  it("findNoticeCandidates lists ending rotations, expiring certificates and begun enforcements; recordNotices gives each once", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const endpoint = makeEndpoint(1, a, { events: ["credential.rotation_ending"] as WebhookEventType[] });
    await register(endpoint);
    const ending = await addCredential(
      makeCredential(1, a, { expiresAt: at(DAY + 30 * MINUTE), rotatedTo: null }),
    );
    await addCredential(makeCredential(2, a, { expiresAt: at(DAY + 2 * HOUR) }));
    const expiring = await addCertificate(makeCertificate(1, a, { notAfter: at(20 * DAY) }));
    await addCertificate(makeCertificate(2, a, { notAfter: at(60 * DAY) }));
    await store.setMtlsEnforcement({ accountId: a, enforcedFrom: at(DAY - HOUR), audit: makeAudit(a) });

    const candidates = () =>
      store.findNoticeCandidates({
        now: at(DAY),
        rotationsEndingBy: at(DAY + HOUR),
        certificateWindows: certificateNoticeWindows(at(DAY)),
        enforcedSince: at(0),
        limit: 10,
      });
    const found = await candidates();
    expect(found.rotations.map((c) => c.credentialId)).toEqual([ending.credentialId]);
    expect(found.certificates.map((c) => [c.certificate.certificateId, c.days])).toEqual([
      [expiring.certificateId, 30],
    ]);
    expect(found.enforcements).toEqual([{ accountId: a, enforcedFrom: at(DAY - HOUR) }]);

    const expiresAt = ending.expiresAt?.toISOString() ?? "";
    const notice = {
      noticeKey: rotationEndingNoticeKey(ending.credentialId, expiresAt),
      audit: makeAudit(a, {
        action: "credential.rotation_ending",
        targetType: "CREDENTIAL",
        targetId: ending.credentialId,
        occurredAt: at(DAY),
      }),
    };
    expect(await store.recordNotices([notice])).toBe(1);
    expect(
      await store.recordNotices([
        { ...notice, audit: { ...notice.audit, eventId: "0190a1b2-eeee-7000-a000-ffffffffffff" } },
      ]),
    ).toBe(0);
    expect((await auditOf(a)).filter((e) => e.action === "credential.rotation_ending")).toHaveLength(1);
    // Given notices are no longer candidates, by the same keys.
    await store.recordNotices([
      {
        noticeKey: certificateNoticeKey(expiring.certificateId, 30),
        audit: makeAudit(a, { action: "client_certificate.expiring", occurredAt: at(DAY) }),
      },
      {
        noticeKey: mtlsEnforcedNoticeKey(a, at(DAY - HOUR).toISOString()),
        audit: makeAudit(a, { action: "mtls_enforcement.enforced", occurredAt: at(DAY) }),
      },
    ]);
    expect(await candidates()).toEqual({ rotations: [], certificates: [], enforcements: [] });
    const queued = await store.listWebhookDeliveries({
      accountId: a,
      endpointId: endpoint.endpointId,
      after: null,
      limit: 10,
    });
    expect(queued.map((d) => d.eventType)).toEqual(["credential.rotation_ending"]);
  });

  it("purgeWebhookHistory forgets settled deliveries and old notices, never a pending delivery", async () => {
    const a = (await addAccount(makeAccount(1))).accountId;
    const endpoint = makeEndpoint(1, a);
    await register(endpoint);
    const old = { createdAt: at(0), nextAttemptAt: at(0) };
    await store.insertWebhookDelivery(makeDelivery(1, endpoint, { ...old, status: "SUCCEEDED" }));
    await store.insertWebhookDelivery(makeDelivery(2, endpoint, { ...old, status: "FAILED" }));
    await store.insertWebhookDelivery(makeDelivery(3, endpoint, { ...old, status: "PENDING" }));
    await store.insertWebhookDelivery(
      makeDelivery(4, endpoint, {
        createdAt: at(40 * DAY),
        nextAttemptAt: at(40 * DAY),
        status: "SUCCEEDED",
      }),
    );
    await store.recordNotices([
      { noticeKey: "certificate.expiring:old:30", audit: makeAudit(a, { occurredAt: at(0) }) },
      { noticeKey: "certificate.expiring:new:30", audit: makeAudit(a, { occurredAt: at(40 * DAY) }) },
    ]);

    expect(
      await store.purgeWebhookHistory({ deliveriesBefore: at(30 * DAY), noticesBefore: at(30 * DAY) }),
    ).toBe(3);
    const kept = await store.listWebhookDeliveries({
      accountId: a,
      endpointId: endpoint.endpointId,
      after: null,
      limit: 10,
    });
    expect(kept.map((d) => d.deliveryId)).toEqual([deliveryId(4), deliveryId(3)]);
    // The purged notice can be given again; the kept one cannot.
    expect(
      await store.recordNotices([
        { noticeKey: "certificate.expiring:old:30", audit: makeAudit(a, { occurredAt: at(41 * DAY) }) },
        { noticeKey: "certificate.expiring:new:30", audit: makeAudit(a, { occurredAt: at(41 * DAY) }) },
      ]),
    ).toBe(1);
  });
});
