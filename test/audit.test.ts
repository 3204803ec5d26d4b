import { describe, expect, vi } from "vitest";
import type { AuditEvent } from "../src/client/types.ts";
import { it } from "./fixtures.ts";
import {
  BEHIND_TLS_PROXY,
  basic,
  type Harness,
  json,
  type OnboardedPartner,
  onboardPartnerAccount,
} from "./harness.ts";

it.override({ harnessOptions: { env: BEHIND_TLS_PROXY } });

async function events(
  h: Harness,
  partner: OnboardedPartner,
  query = "",
): Promise<{ audit_events: AuditEvent[]; next_page_token?: string }> {
  const response = await h.app.inject({
    method: "GET",
    url: `/v1/account/audit-events${query}`,
    headers: basic(partner.apiKey),
    remoteAddress: "203.0.113.7",
  });
  expect(response.statusCode).toBe(200);
  return json(response);
}

describe("audit events", () => {
  it("records who did what, when, from where, with before and after status, newest first", async ({
    harness: h,
    partner,
  }) => {
    h.clock.advance(1000);
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
      remoteAddress: "203.0.113.7",
      payload: { type: "API", environment: "TEST", description: "reports" },
    });
    const id = json<{ credential_id: string }>(created).credential_id;
    h.clock.advance(1000);
    await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${id}`,
      headers: basic(partner.apiKey),
      remoteAddress: "203.0.113.7",
    });
    h.clock.advance(1000);
    await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${id}/enable`,
      headers: basic(partner.apiKey),
      remoteAddress: "203.0.113.7",
    });

    const { audit_events } = await events(h, partner);
    expect(audit_events.map((e) => e.action)).toEqual([
      "credential.enabled",
      "credential.disabled",
      "credential.created",
      "credential.created",
      "onboarding_link.claimed",
      "onboarding_link.issued",
      "account.created",
    ]);
    const [enabled, disabled, createdEvent] = audit_events;
    expect(disabled).toMatchObject({
      actor: partner.credentialId,
      target_type: "CREDENTIAL",
      target_id: id,
      source_ip: "203.0.113.7",
      status_before: "ACTIVE",
      status_after: "DISABLED",
      occurred_at: "2026-01-01T00:00:02.000Z",
    });
    expect(enabled).toMatchObject({ status_before: "DISABLED", status_after: "ACTIVE" });
    expect(createdEvent).toMatchObject({ status_after: "ACTIVE", target_id: id });
    expect(audit_events.at(-1)).toMatchObject({
      actor: "operator",
      target_type: "ACCOUNT",
      target_id: partner.accountId,
    });
  });

  it("does not write events for changes that did not happen", async ({ harness: h, partner }) => {
    const before = (await events(h, partner)).audit_events.length;
    await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${partner.credentialId}/enable`,
      headers: basic(partner.apiKey),
    });
    expect((await events(h, partner)).audit_events).toHaveLength(before);
  });

  it("pages through events", async ({ harness: h, partner }) => {
    for (let i = 0; i < 5; i++) {
      await h.app.inject({
        method: "PATCH",
        url: `/v1/account/credentials/${partner.credentialId}`,
        headers: basic(partner.apiKey),
        payload: { description: `v${i}` },
      });
    }
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await events(h, partner, `?page_size=2${token ? `&page_token=${token}` : ""}`);
      all.push(...page.audit_events.map((e) => e.event_id));
      token = page.next_page_token;
    } while (token);
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);
  });

  it("shows a Partner Account the source address of its own keys' actions only", async ({
    harness: h,
    partner,
  }) => {
    const child = await onboardPartnerAccount(h, partner, "Child"); // its key made by the parent
    await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: basic(child.apiKey),
      payload: { type: "API", environment: "LIVE", description: "own" },
      remoteAddress: "198.51.100.20",
    });
    const seen = json<{ audit_events: AuditEvent[] }>(
      await h.app.inject({ method: "GET", url: "/v1/account/audit-events", headers: basic(child.apiKey) }),
    ).audit_events;
    const byChild = seen.filter((e) => e.actor === child.credentialId);
    const byParent = seen.filter((e) => e.actor === partner.credentialId);
    expect(byChild.length).toBeGreaterThan(0);
    expect(byParent.length).toBeGreaterThan(0);
    expect(byChild.every((e) => e.source_ip === "198.51.100.20")).toBe(true);
    expect(byParent.every((e) => e.source_ip === undefined)).toBe(true);
    // The parent, acting for its Partner Account, sees every address.
    const parentView = json<{ audit_events: AuditEvent[] }>(
      await h.app.inject({
        method: "GET",
        url: `/v1/accounts/${child.accountId}/audit-events`,
        headers: basic(partner.apiKey),
      }),
    ).audit_events;
    expect(
      parentView.filter((e) => e.actor === partner.credentialId).every((e) => e.source_ip !== undefined),
    ).toBe(true);
  });

  it("records refused authentications of real keys for their owner, one per key and address a minute", async ({
    harness: h,
    partner,
  }) => {
    const created = json<{ api_key: string; credential_id: string }>(
      await h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: basic(partner.apiKey),
        payload: { type: "API", environment: "LIVE", description: "soon disabled" },
      }),
    );
    await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${created.credential_id}`,
      headers: basic(partner.apiKey),
    });
    const attempt = (key: string, remoteAddress: string) =>
      h.app.inject({ method: "GET", url: "/v1/account", headers: basic(key), remoteAddress });
    const { crc32 } = await import("node:zlib");
    const { encodeBase62 } = await import("../src/domain/base62.ts");
    const forgedBody = `${partner.apiKey.slice(0, 28)}${"Q".repeat(32)}`;
    const wrongSecret = forgedBody + encodeBase62(crc32(forgedBody), 6);
    for (let i = 0; i < 5; i++) {
      expect((await attempt(created.api_key, "198.51.100.30")).statusCode).toBe(401);
      expect((await attempt(wrongSecret, "198.51.100.31")).statusCode).toBe(401);
    }
    await attempt(created.api_key, "198.51.100.32");
    await attempt("klarna_live_api_unknown", "198.51.100.33");
    await vi.waitFor(async () => {
      const failed = (await events(h, partner)).audit_events.filter(
        (e) => e.action === "credential.authentication_failed",
      );
      expect(failed.map((e) => [e.target_id, e.source_ip, e.reason, e.actor]).sort()).toEqual(
        [
          [created.credential_id, "198.51.100.30", "DISABLED", "anonymous"],
          [created.credential_id, "198.51.100.32", "DISABLED", "anonymous"],
          [partner.credentialId, "198.51.100.31", "WRONG_SECRET", "anonymous"],
        ].sort(),
      );
    });
  });
});
