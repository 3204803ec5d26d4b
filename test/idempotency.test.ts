import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import {
  basic,
  type Harness,
  json,
  type OnboardedPartner,
  onboardAcquiringPartner,
  operator,
} from "./harness.ts";

const createWithKey = (
  h: Harness,
  partner: OnboardedPartner,
  key: string,
  payload: object,
  apiKey = partner.apiKey,
) =>
  h.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: { ...basic(apiKey), "klarna-idempotency-key": key },
    payload,
  });

async function countCredentials(h: Harness, partner: OnboardedPartner): Promise<number> {
  const list = await h.app.inject({
    method: "GET",
    url: "/v1/account/credentials",
    headers: basic(partner.apiKey),
  });
  return json<{ credentials: unknown[] }>(list).credentials.length;
}

describe("Klarna-Idempotency-Key", () => {
  it("replays the first result of a create without its key, and creates nothing new", async ({
    harness: h,
    partner,
  }) => {
    const payload = { type: "API", environment: "LIVE", description: "orders" };
    const first = await createWithKey(h, partner, "order-service-2026-11-29", payload);
    expect(first.statusCode).toBe(200);
    const count = await countCredentials(h, partner);
    const replay = await createWithKey(h, partner, "order-service-2026-11-29", payload);
    expect(replay.statusCode).toBe(200);
    const { api_key, ...rest } = json<Record<string, unknown>>(first);
    expect(api_key).toMatch(/^klarna_live_api_/);
    expect(json(replay)).toEqual({ ...rest, api_key_redacted: true });
    expect(replay.headers["klarna-idempotent-replayed"]).toBe("true");
    expect(await countCredentials(h, partner)).toBe(count);
    const fresh = await createWithKey(h, partner, "another-key", payload);
    expect(json<{ credential_id: string }>(fresh).credential_id).not.toBe(
      json<{ credential_id: string }>(first).credential_id,
    );
  });

  it("treats the same body with its keys in another order as the same request", async ({
    harness: h,
    partner,
  }) => {
    const first = await createWithKey(h, partner, "reordered", {
      type: "API",
      environment: "TEST",
      description: "x",
    });
    const again = await createWithKey(h, partner, "reordered", {
      description: "x",
      environment: "TEST",
      type: "API",
    });
    expect(again.statusCode).toBe(200);
    expect(json(again).credential_id).toBe(json(first).credential_id);
  });

  it("lets a retry take over a key whose first request died before finishing", async ({ harness: h }) => {
    // A PENDING record left behind (the process died mid-request) blocks the key for a minute only.
    const orphan = (now: Date) => ({
      keyHash: "orphan",
      requestHash: "r",
      state: "PENDING" as const,
      resourceId: null,
      responseStatus: null,
      responseCiphertext: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
    const abandonedBefore = () => new Date(h.clock.now().getTime() - 60_000);
    expect(await h.store.reserveIdempotencyKey(orphan(h.clock.now()), abandonedBefore())).toBeNull();
    expect((await h.store.reserveIdempotencyKey(orphan(h.clock.now()), abandonedBefore()))?.state).toBe(
      "PENDING",
    );
    h.clock.advance(61_000);
    expect(await h.store.reserveIdempotencyKey(orphan(h.clock.now()), abandonedBefore())).toBeNull();
  });
  it("purges expired records", async ({ harness: h, partner }) => {
    await createWithKey(h, partner, "old-1", { type: "API", environment: "LIVE" });
    await createWithKey(h, partner, "old-2", { type: "API", environment: "LIVE" });
    h.clock.advance(24 * 3_600_000);
    expect(await h.store.deleteExpiredIdempotencyKeys(h.clock.now())).toBe(2);
  });

  it("rejects the same key with a different body, and changes nothing", async ({ harness: h, partner }) => {
    await createWithKey(h, partner, "k-1", { type: "API", environment: "LIVE" });
    const count = await countCredentials(h, partner);
    const other = await createWithKey(h, partner, "k-1", { type: "CLIENT", environment: "LIVE" });
    expect(other.statusCode).toBe(422);
    expect(json(other)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await countCredentials(h, partner)).toBe(count);
  });

  it("keeps results 24 hours, per account", async ({ harness: h, partner }) => {
    const payload = { type: "API", environment: "TEST" };
    const first = await createWithKey(h, partner, "shared-key", payload);
    const other = await onboardAcquiringPartner(h, "Other Partner");
    const theirs = await createWithKey(h, partner, "shared-key", payload, other.apiKey);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toBe(first.body);
    h.clock.advance(24 * 3_600_000 + 1);
    const later = await createWithKey(h, partner, "shared-key", payload);
    expect(later.statusCode).toBe(200);
    expect(later.headers["klarna-idempotent-replayed"]).toBeUndefined();
    expect(later.body).not.toBe(first.body);
  });

  it("does not keep failures: a corrected retry with the same key goes through", async ({
    harness: h,
    partner,
  }) => {
    const bad = await h.app.inject({
      method: "PATCH",
      url: "/v1/account/credentials/0190f5d2-8c4e-7c7a-9d2f-0123456789ab",
      headers: { ...basic(partner.apiKey), "klarna-idempotency-key": "patch-1" },
      payload: { description: "x" },
    });
    expect(bad.statusCode).toBe(404);
    const good = await h.app.inject({
      method: "PATCH",
      url: `/v1/account/credentials/${partner.credentialId}`,
      headers: { ...basic(partner.apiKey), "klarna-idempotency-key": "patch-1" },
      payload: { description: "x" },
    });
    expect(good.statusCode).toBe(200);
  });

  it("works for the operator API, and rejects malformed keys", async ({ harness: h, partner }) => {
    const headers = { ...operator, "klarna-idempotency-key": "onboard-acme" };
    const first = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers,
      payload: { name: "Acme" },
    });
    const again = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers,
      payload: { name: "Acme" },
    });
    const { onboarding_url, ...rest } = json<Record<string, unknown>>(first);
    expect(onboarding_url).toMatch(/\/onboarding\//);
    expect(json(again)).toEqual({ ...rest, onboarding_url_redacted: true });
    const bad = await createWithKey(h, partner, "x".repeat(256), { type: "API", environment: "LIVE" });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({
      error_code: "VALIDATION_ERROR",
      errors: [{ parameter: "Klarna-Idempotency-Key" }],
    });
  });

  it("stores no secret of a result, and finds it without any server secret", async ({
    harness: h,
    partner,
  }) => {
    const first = await createWithKey(h, partner, "secret-result", { type: "API", environment: "LIVE" });
    const apiKey = json<{ api_key: string }>(first).api_key;
    const link = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: { ...operator, "klarna-idempotency-key": "link-result" },
      payload: { name: "Linked" },
    });
    const url = json<{ onboarding_url: string }>(link).onboarding_url;
    const bytes = await h.storedBytes();
    expect(bytes.length).toBeGreaterThan(1000);
    for (const secret of [apiKey, new URL(url).pathname.split("/").pop() ?? "", "secret-result"]) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }
    // A service built with nothing but the store (as after a pepper rotation) replays the same record.
    const { IdempotencyService } = await import("../src/services/idempotency.ts");
    const { requestHash } = await import("../src/services/idempotency.ts");
    const fresh = new IdempotencyService({
      store: h.store,
      clock: h.clock,
      random: { bytes: () => new Uint8Array(16) },
    });
    const started = await fresh.begin({
      scope: "s",
      idempotencyKey: "k",
      requestHash: requestHash("POST", "/x", "{}"),
    });
    expect(started.kind).toBe("NEW");
    if (started.kind === "NEW")
      await fresh.complete(started, { status: 201, body: '{"api_key":"x","id":1}' });
    const again = await new IdempotencyService({
      store: h.store,
      clock: h.clock,
      random: { bytes: () => new Uint8Array(16) },
    }).begin({
      scope: "s",
      idempotencyKey: "k",
      requestHash: requestHash("POST", "/x", "{}"),
    });
    expect(again).toEqual({
      kind: "REPLAY",
      response: { status: 201, body: '{"id":1,"api_key_redacted":true}' },
    });
  });

  it("never applies a change twice when its answer was lost after the change", async ({ startHarness }) => {
    // The store fails to keep the answer, as a crash between the change and its answer would.
    let failCompletion = true;
    const h = await startHarness(
      {},
      {
        wrapStore: (inner) =>
          new Proxy(inner, {
            get(target, property, receiver) {
              if (property === "completeIdempotencyKey" && failCompletion) {
                return async () => {
                  throw new Error("connection lost");
                };
              }
              const value = Reflect.get(target, property, receiver);
              return typeof value === "function" ? value.bind(target) : value;
            },
          }),
      },
    );
    const partner = await onboardAcquiringPartner(h);
    const payload = { type: "API", environment: "LIVE", description: "once" };
    const first = await createWithKey(h, partner, "crash-1", payload);
    expect(first.statusCode).toBe(200);
    const createdId = json<{ credential_id: string }>(first).credential_id;
    const count = await countCredentials(h, partner);
    failCompletion = false;
    h.clock.advance(5 * 60_000); // long after a PENDING key would be taken over
    const retry = await createWithKey(h, partner, "crash-1", payload);
    expect(retry.statusCode).toBe(409);
    expect(json(retry)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "RESOURCE_CONFLICT" });
    expect(json<{ error_message: string }>(retry).error_message).toContain(createdId);
    expect(await countCredentials(h, partner)).toBe(count);
  });
});
