import { describe, expect } from "vitest";
import type { AuditEvent, CreatedCredential, Credential } from "../src/client/types.ts";
import { test } from "./fixtures.ts";
import { basic, DAY_MS, json, operator } from "./harness.ts";

/** The steps these tests take, as the onboarded partner on the test's harness. */
const it = test.extend("steps", ({ harness: h, partner }) => {
  const start = h.clock.now().getTime();
  const day = (n: number): Date => new Date(start + n * DAY_MS);
  const sweep = (asOf: Date) => h.lifecycle.sweep({ asOf });

  async function call(
    method: "GET" | "POST" | "DELETE",
    url: string,
    payload?: object,
    apiKey = partner.apiKey,
  ) {
    return h.app.inject({ method, url, headers: basic(apiKey), ...(payload ? { payload } : {}) });
  }

  async function createKey(description: string): Promise<CreatedCredential> {
    const response = await call("POST", "/v1/account/credentials", {
      type: "API",
      environment: "LIVE",
      description,
    });
    expect(response.statusCode).toBe(200);
    return json<CreatedCredential>(response);
  }

  async function credential(id: string): Promise<Credential> {
    // Read through the store: the partner's own key may itself be disabled by then.
    const found = await h.store.findCredential(partner.accountId, id);
    if (!found) throw new Error("missing");
    return found as unknown as Credential;
  }

  async function auditActions(targetId: string): Promise<string[]> {
    const events = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 100 });
    // Transitions only: refused uses of the key (authentication_failed) are audited too, but are not
    // what these tests are about.
    return events
      .filter((e) => e.targetId === targetId && e.action !== "credential.authentication_failed")
      .map((e) => e.action);
  }

  const rotate = (id: string, body?: object) =>
    h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${id}/rotate`,
      headers: basic(partner.apiKey),
      ...(body ? { payload: body } : {}),
    });

  return { start, day, sweep, call, createKey, credential, auditActions, rotate };
});

describe("inactivity rules", () => {
  it("warns on day 53 once, disables on day 61 (not 59), deletes on day 301", async ({
    harness: h,
    partner,
    steps: { day, sweep, call, createKey, credential, auditActions },
  }) => {
    const idle = await createKey("idle service");
    // Day 0: the key is used once.
    expect((await call("GET", "/v1/account", undefined, idle.api_key)).statusCode).toBe(200);
    await h.usage.flush();

    expect((await sweep(day(52))).transitions).toEqual([]);
    const warned = await sweep(day(53));
    expect(warned.transitions.filter((t) => t.credentialId === idle.credential_id)).toMatchObject([
      { rule: "INACTIVITY_WARNING", from: "ACTIVE", to: "ACTIVE" },
    ]);
    await sweep(day(54));
    await sweep(day(59));
    expect(await auditActions(idle.credential_id)).toEqual([
      "credential.inactivity_warning",
      "credential.created",
    ]);
    expect((await credential(idle.credential_id)).status).toBe("ACTIVE");

    const disabled = await sweep(day(61));
    expect(disabled.transitions.filter((t) => t.credentialId === idle.credential_id)).toMatchObject([
      { rule: "INACTIVITY_DISABLE", from: "ACTIVE", to: "DISABLED" },
    ]);
    const afterDisable = await h.store.findCredential(partner.accountId, idle.credential_id);
    expect(afterDisable).toMatchObject({
      status: "DISABLED",
      statusReason: "INACTIVITY",
      disabledAt: day(61),
    });
    h.clock.advance(61 * DAY_MS);
    expect((await call("GET", "/v1/account", undefined, idle.api_key)).statusCode).toBe(401);

    expect((await sweep(day(300))).transitions.filter((t) => t.rule === "INACTIVITY_DELETE")).toEqual([]);
    const deleted = await sweep(day(301));
    expect(deleted.transitions.filter((t) => t.credentialId === idle.credential_id)).toMatchObject([
      { rule: "INACTIVITY_DELETE", from: "DISABLED", to: "DELETED" },
    ]);
    expect(await auditActions(idle.credential_id)).toEqual([
      "credential.deleted",
      "credential.disabled",
      "credential.inactivity_warning",
      "credential.created",
    ]);
    const events = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 1 });
    expect(events[0]).toMatchObject({ actor: "system", reason: "INACTIVITY", occurredAt: day(301) });
  });

  it("keeps a tombstone without the hash, out of default lists, never reactivated", async ({
    harness: h,
    partner,
    steps: { day, sweep, call, createKey, credential },
  }) => {
    const idle = await createKey("tombstone");
    await sweep(day(61));
    await sweep(day(301));
    // A fresh key (the initial one was deleted too) through the operator: re-issue the link.
    const link = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${partner.accountId}/onboarding-link`,
      headers: operator,
    });
    const claim = await h.app.inject({
      method: "POST",
      url: new URL(json<{ onboarding_url: string }>(link).onboarding_url).pathname,
      headers: { accept: "application/json" },
    });
    const fresh = json<{ api_key: string }>(claim).api_key;

    const listed = json<{ credentials: Credential[] }>(
      await call("GET", "/v1/account/credentials", undefined, fresh),
    );
    expect(listed.credentials.map((c) => c.credential_id)).not.toContain(idle.credential_id);
    const tombstones = json<{ credentials: Credential[] }>(
      await call("GET", "/v1/account/credentials?status=DELETED", undefined, fresh),
    );
    const tombstone = tombstones.credentials.find((c) => c.credential_id === idle.credential_id);
    expect(tombstone).toMatchObject({
      type: "API",
      environment: "LIVE",
      description: "tombstone",
      status: "DELETED",
      status_reason: "INACTIVITY",
      deleted_at: day(301).toISOString(),
    });
    const row = await h.store.findCredentialByLookupId(
      (await h.store.findCredential(partner.accountId, idle.credential_id))?.lookupId ?? "",
    );
    expect(row?.secret).toBeNull();
    expect((await call("GET", "/v1/account", undefined, idle.api_key)).statusCode).toBe(401);

    const enable = await call(
      "POST",
      `/v1/account/credentials/${idle.credential_id}/enable`,
      undefined,
      fresh,
    );
    expect(enable.statusCode).toBe(409);
    expect(json(enable)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "INVALID_STATE" });
    const support = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${partner.accountId}/credentials/${idle.credential_id}/enable`,
      headers: operator,
    });
    expect(support.statusCode).toBe(409);
    expect((await credential(idle.credential_id)).status).toBe("DELETED");
  });

  it("counts the last use: a key used on day 30 is disabled on day 91, not 61", async ({
    harness: h,
    steps: { day, sweep, call, createKey, credential },
  }) => {
    const used = await createKey("used later");
    h.clock.advance(30 * DAY_MS);
    await call("GET", "/v1/account", undefined, used.api_key);
    await h.usage.flush();
    await sweep(day(61));
    expect((await credential(used.credential_id)).status).toBe("ACTIVE");
    await sweep(day(91));
    expect((await credential(used.credential_id)).status).toBe("DISABLED");
  });

  it("reactivation before deletion brings a key back with a fresh inactivity clock", async ({
    harness: h,
    partner,
    steps: { day, sweep, call, createKey, credential, auditActions },
  }) => {
    const key = await createKey("reactivated");
    await sweep(day(61));
    h.clock.advance(100 * DAY_MS);
    const support = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${partner.accountId}/credentials/${key.credential_id}/enable`,
      headers: operator,
    });
    expect(support.statusCode).toBe(200);
    expect(json(support)).toMatchObject({ status: "ACTIVE" });
    expect((await call("GET", "/v1/account", undefined, key.api_key)).statusCode).toBe(200);
    await h.usage.flush();
    // The clock restarted on day 100: day 159 is fine, day 161 disables again, day 301 does not delete.
    await sweep(day(159));
    expect((await credential(key.credential_id)).status).toBe("ACTIVE");
    await sweep(day(161));
    expect((await credential(key.credential_id)).status).toBe("DISABLED");
    await sweep(day(301));
    expect((await credential(key.credential_id)).status).toBe("DISABLED");
    const actions = await auditActions(key.credential_id);
    expect(actions.slice(0, 4)).toEqual([
      "credential.disabled",
      "credential.inactivity_warning",
      "credential.enabled",
      "credential.disabled",
    ]);
  });

  it("a dry run reports without changing anything", async ({
    harness: h,
    steps: { day, createKey, credential, auditActions },
  }) => {
    const key = await createKey("dry");
    const report = await h.lifecycle.sweep({ asOf: day(61), dryRun: true });
    expect(report.transitions.map((t) => t.credentialId)).toContain(key.credential_id);
    expect((await credential(key.credential_id)).status).toBe("ACTIVE");
    expect(await auditActions(key.credential_id)).toEqual(["credential.created"]);
  });
});

describe("rotation", () => {
  it("creates a linked successor, keeps both valid during the 24 h overlap, then retires the old key", async ({
    harness: h,
    steps: { start, call, createKey, credential, auditActions, rotate },
  }) => {
    const old = await createKey("payments");
    const response = await rotate(old.credential_id);
    expect(response.statusCode).toBe(200);
    const successor = json<CreatedCredential>(response);
    expect(successor).toMatchObject({
      type: "API",
      environment: "LIVE",
      description: "payments",
      status: "ACTIVE",
      rotated_from: old.credential_id,
    });
    expect(successor.api_key).toMatch(/^klarna_live_api_/);
    const before = json<Credential>(await call("GET", `/v1/account/credentials/${old.credential_id}`));
    expect(before).toMatchObject({ status: "ACTIVE", rotated_to: successor.credential_id });
    expect(before.expires_at).toBe(new Date(start + DAY_MS).toISOString());

    for (const key of [old.api_key, successor.api_key]) {
      expect((await call("GET", "/v1/account", undefined, key)).statusCode).toBe(200);
    }
    h.clock.advance(DAY_MS - 1);
    expect((await call("GET", "/v1/account", undefined, old.api_key)).statusCode).toBe(200);
    h.clock.advance(1);
    // Refused from the end of the overlap, before any sweep has run.
    expect((await call("GET", "/v1/account", undefined, old.api_key)).statusCode).toBe(401);
    expect((await call("GET", "/v1/account", undefined, successor.api_key)).statusCode).toBe(200);
    const report = await h.lifecycle.sweep({ rules: ["ROTATION_EXPIRED"] });
    expect(report.transitions).toMatchObject([{ credentialId: old.credential_id, to: "DISABLED" }]);
    expect(await credential(old.credential_id)).toMatchObject({
      status: "DISABLED",
      statusReason: "ROTATED",
    });
    expect(await auditActions(old.credential_id)).toEqual([
      "credential.disabled",
      "credential.rotated",
      "credential.created",
    ]);
  });

  it("PT0S retires the old key at once; rotating twice, disabled or deleted is 409", async ({
    steps: { call, createKey, credential, rotate },
  }) => {
    const old = await createKey("now");
    const response = await rotate(old.credential_id, { overlap: "PT0S" });
    expect(response.statusCode).toBe(200);
    expect(await credential(old.credential_id)).toMatchObject({
      status: "DISABLED",
      statusReason: "ROTATED",
    });
    expect((await call("GET", "/v1/account", undefined, old.api_key)).statusCode).toBe(401);
    const twice = await rotate(old.credential_id);
    expect(twice.statusCode).toBe(409);
    expect(json(twice)).toMatchObject({ error_code: "INVALID_STATE" });

    const rotating = await createKey("rotating");
    expect((await rotate(rotating.credential_id, { overlap: "P7D" })).statusCode).toBe(200);
    const again = await rotate(rotating.credential_id);
    expect(again.statusCode).toBe(409);
    expect(json<{ error_message: string }>(again).error_message).toContain("already being rotated");
  });

  it("rejects bad overlaps and options, changing nothing", async ({
    steps: { call, createKey, auditActions, rotate },
  }) => {
    const key = await createKey("bad input");
    for (const body of [
      { overlap: "P31D" },
      { overlap: "-PT1H" },
      { overlap: "1 day" },
      { overlap: "P1M" },
      { overlap: 3600 },
      { end_overlap: "SOMETIMES" },
      { overlap: "PT1H", extra: true },
    ]) {
      const response = await rotate(key.credential_id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(response)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "VALIDATION_ERROR" });
    }
    const after = json<Credential>(await call("GET", `/v1/account/credentials/${key.credential_id}`));
    expect(after.expires_at).toBeUndefined();
    expect(after.rotated_to).toBeUndefined();
    expect(await auditActions(key.credential_id)).toEqual(["credential.created"]);
  });

  it("WHEN_OLD_KEY_IDLE ends the overlap once the successor is used and the old key is quiet", async ({
    harness: h,
    steps: { call, createKey, rotate },
  }) => {
    const old = await createKey("idle-end");
    const successor = json<CreatedCredential>(
      await rotate(old.credential_id, { overlap: "P7D", end_overlap: "WHEN_OLD_KEY_IDLE" }),
    );
    const check = () => h.lifecycle.sweep({ rules: ["ROTATION_OLD_KEY_IDLE"] });
    h.clock.advance(20 * 60_000);
    expect((await check()).transitions).toEqual([]); // successor not used yet
    await call("GET", "/v1/account", undefined, old.api_key); // old key still in use
    await call("GET", "/v1/account", undefined, successor.api_key);
    await h.usage.flush();
    h.clock.advance(10 * 60_000);
    expect((await check()).transitions).toEqual([]); // old key used 10 minutes ago
    h.clock.advance(6 * 60_000);
    expect((await check()).transitions).toMatchObject([{ credentialId: old.credential_id, to: "DISABLED" }]);
    expect((await call("GET", "/v1/account", undefined, old.api_key)).statusCode).toBe(401);
  });

  it("rotates Client IDs too, and works on a Partner Account's credentials", async ({
    steps: { call, rotate },
  }) => {
    const client = json<CreatedCredential>(
      await call("POST", "/v1/account/credentials", {
        type: "CLIENT",
        environment: "TEST",
        description: "web",
      }),
    );
    const rotated = json<CreatedCredential>(await rotate(client.credential_id));
    expect(rotated.client_id).toMatch(/^klarna_test_client_/);
    expect(rotated.client_id).not.toBe(client.client_id);
    expect(rotated.api_key).toBeUndefined();

    const child = json<{ account_id: string }>(await call("POST", "/v1/accounts", { name: "Child" }));
    const childKey = json<CreatedCredential>(
      await call("POST", `/v1/accounts/${child.account_id}/credentials`, {
        type: "API",
        environment: "LIVE",
      }),
    );
    const viaParent = await call(
      "POST",
      `/v1/accounts/${child.account_id}/credentials/${childKey.credential_id}/rotate`,
      {
        overlap: "PT1H",
      },
    );
    expect(viaParent.statusCode).toBe(200);
  });

  it("support can disable a credential with reason OPERATOR", async ({
    harness: h,
    partner,
    steps: { call, createKey },
  }) => {
    const key = await createKey("leaked");
    const response = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${partner.accountId}/credentials/${key.credential_id}/disable`,
      headers: operator,
    });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ status: "DISABLED", status_reason: "OPERATOR" });
    const events = json<{ audit_events: AuditEvent[] }>(await call("GET", "/v1/account/audit-events"));
    expect(events.audit_events[0]).toMatchObject({
      actor: "operator",
      action: "credential.disabled",
      reason: "OPERATOR",
    });
    const unknown = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/krn:partner:global:account:live:ZZZZZZZZ/credentials/${key.credential_id}/disable`,
      headers: operator,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("only the operator reactivates what the operator disabled; nobody a rotated-out key", async ({
    harness: h,
    partner,
    steps: { sweep, call, createKey },
  }) => {
    const key = await createKey("leaked");
    await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${partner.accountId}/credentials/${key.credential_id}/disable`,
      headers: operator,
    });
    const byPartner = await call("POST", `/v1/account/credentials/${key.credential_id}/enable`);
    expect(byPartner.statusCode).toBe(403);
    expect(json(byPartner)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "FORBIDDEN" });
    const byOperator = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${partner.accountId}/credentials/${key.credential_id}/enable`,
      headers: operator,
    });
    expect(json(byOperator)).toMatchObject({ status: "ACTIVE" });

    const old = await createKey("rotate me");
    const rotated = await call("POST", `/v1/account/credentials/${old.credential_id}/rotate`, {
      overlap: "PT0S",
    });
    expect(rotated.statusCode).toBe(200);
    h.clock.advance(1_000);
    await sweep(h.clock.now());
    const after = json<{ status: string; status_reason?: string }>(
      await call("GET", `/v1/account/credentials/${old.credential_id}`),
    );
    if (after.status === "DISABLED") {
      expect(after.status_reason).toBe("ROTATED");
      for (const enable of [
        () => call("POST", `/v1/account/credentials/${old.credential_id}/enable`),
        () =>
          h.internal.inject({
            method: "POST",
            url: `/admin/v1/accounts/${partner.accountId}/credentials/${old.credential_id}/enable`,
            headers: operator,
          }),
      ]) {
        const refused = await enable();
        expect(refused.statusCode).toBe(409);
        expect(json(refused)).toMatchObject({ error_code: "INVALID_STATE" });
      }
    } else throw new Error(`the rotated-out key is ${after.status}`);

    // Disabled by hand during its overlap, a replaced key still never comes back.
    const second = await createKey("rotate me too");
    await call("POST", `/v1/account/credentials/${second.credential_id}/rotate`, { overlap: "PT1H" });
    expect((await call("DELETE", `/v1/account/credentials/${second.credential_id}`)).statusCode).toBe(204);
    const back = await call("POST", `/v1/account/credentials/${second.credential_id}/enable`);
    expect(back.statusCode).toBe(409);
  });
});
