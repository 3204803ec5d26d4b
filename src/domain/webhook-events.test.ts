import { describe, expect, it } from "vitest";
import type { AuditEvent } from "./types.ts";
import { nextAttemptAt, RETRY_OFFSETS_MS } from "./webhook-delivery.ts";
import { certificateNoticeDays, WEBHOOK_EVENT_TYPES, webhookMessageOf } from "./webhook-events.ts";
import { openWebhookSecret, sealWebhookSecret, signWebhook } from "./webhook-signing.ts";

const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
  eventId: "0190a1b2-eeee-7000-a000-000000000001",
  accountId: "krn:partner:global:account:live:ABCD0001",
  action: "credential.disabled",
  actor: "operator",
  targetType: "CREDENTIAL",
  targetId: "0190a1b2-c3d4-7000-8000-000000000001",
  sourceIp: "203.0.113.9",
  statusBefore: "ACTIVE",
  statusAfter: "DISABLED",
  reason: "LEAKED",
  occurredAt: new Date("2026-03-01T12:00:00.000Z"),
  ...overrides,
});

describe("webhook events", () => {
  it("maps audit events to webhook messages with ids, statuses and reason, never the source address", () => {
    expect(webhookMessageOf(event({}))).toEqual({
      type: "credential.disabled",
      noticeKey: null,
      data: {
        account_id: "krn:partner:global:account:live:ABCD0001",
        credential_id: "0190a1b2-c3d4-7000-8000-000000000001",
        status_before: "ACTIVE",
        status_after: "DISABLED",
        reason: "LEAKED",
        audit_event_id: "0190a1b2-eeee-7000-a000-000000000001",
      },
    });
    expect(webhookMessageOf(event({ action: "credential.description_changed" }))).toBeNull();
    expect(webhookMessageOf(event({ action: "credential.authentication_failed" }))).toBeNull();
    const leaked = webhookMessageOf(
      event({
        action: "credential.leaked",
        details: { url: "https://example.com/x", source: "code", token_hash: "ab" },
      }),
    );
    expect(leaked?.data).toMatchObject({ url: "https://example.com/x", source: "code", token_hash: "ab" });
  });

  it("tells mTLS enforcement from now and a scheduled one apart", () => {
    const at = "2026-03-08T12:00:00.000Z";
    const now = webhookMessageOf(
      event({
        action: "mtls_enforcement.set",
        targetType: "ACCOUNT",
        statusAfter: "ENFORCED",
        reason: `enforced from ${at}`,
      }),
    );
    expect(now).toMatchObject({ type: "mtls.enforced", data: { enforced_from: at } });
    expect(now?.noticeKey).toContain(at);
    const later = webhookMessageOf(
      event({
        action: "mtls_enforcement.set",
        targetType: "ACCOUNT",
        statusAfter: "SCHEDULED",
        reason: `scheduled from ${at}`,
      }),
    );
    expect(later).toMatchObject({
      type: "mtls.enforcement_scheduled",
      noticeKey: null,
      data: { enforced_from: at },
    });
  });

  it("every event type is reachable from an audit action", async () => {
    const { WEBHOOK_EVENTS_OF_AUDIT } = await import("./webhook-events.ts");
    const reachable = new Set<string>();
    for (const [action, rule] of Object.entries(WEBHOOK_EVENTS_OF_AUDIT)) {
      for (const statusAfter of ["ENFORCED", "SCHEDULED", null]) {
        const type = rule(event({ action, statusAfter }));
        if (type) reachable.add(type);
      }
    }
    expect([...reachable].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("gives a certificate its 30-day notice, then its 7-day one", () => {
    const notAfter = new Date("2026-04-30T00:00:00.000Z");
    const daysBefore = (days: number) => new Date(notAfter.getTime() - days * 86_400_000);
    expect(certificateNoticeDays(notAfter, daysBefore(31))).toBeNull();
    expect(certificateNoticeDays(notAfter, daysBefore(30))).toBe(30);
    expect(certificateNoticeDays(notAfter, daysBefore(8))).toBe(30);
    expect(certificateNoticeDays(notAfter, daysBefore(7))).toBe(7);
    expect(certificateNoticeDays(notAfter, notAfter)).toBeNull();
  });

  it("retries over three days, ten attempts", () => {
    const first = new Date("2026-03-01T00:00:00.000Z");
    expect(RETRY_OFFSETS_MS).toHaveLength(10);
    expect(nextAttemptAt(first, 1)).toEqual(new Date(first.getTime() + 5_000));
    expect(nextAttemptAt(first, 9)).toEqual(new Date(first.getTime() + 72 * 3_600_000));
    expect(nextAttemptAt(first, 10)).toBeNull();
  });

  it("seals a secret so that only its key and endpoint open it; signs with each secret", () => {
    const key = new Uint8Array(32).fill(7);
    const random = { bytes: (n: number) => new Uint8Array(n).fill(1) };
    const sealed = sealWebhookSecret(key, "endpoint-1", "whsec_c2VjcmV0", random);
    expect(sealed).not.toContain("c2VjcmV0");
    expect(openWebhookSecret(key, "endpoint-1", sealed)).toBe("whsec_c2VjcmV0");
    expect(() => openWebhookSecret(key, "endpoint-2", sealed)).toThrow();
    expect(() => openWebhookSecret(new Uint8Array(32), "endpoint-1", sealed)).toThrow();
    const signed = signWebhook(["whsec_c2VjcmV0", "whsec_b2xk"], {
      id: "msg_1",
      at: new Date("2026-03-01T00:00:01.500Z"),
      body: "{}",
    });
    expect(signed["webhook-timestamp"]).toBe("1772323201");
    expect(signed["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/);
  });
});
