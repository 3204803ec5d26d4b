import { describe, expect } from "vitest";
import type { CreatedCredential } from "../src/client/types.ts";
import { randomBase62 } from "../src/domain/base62.ts";
import type { Store } from "../src/store/port.ts";
import { systemRandom } from "../src/system.ts";
import { it } from "./fixtures.ts";
import {
  BEHIND_TLS_PROXY,
  basic,
  type Harness,
  json,
  onboardAcquiringPartner,
  onboardPartnerAccount,
  operator,
} from "./harness.ts";

it.override({ harnessOptions: { env: BEHIND_TLS_PROXY } });

const get = (h: Harness, apiKey: string, remoteAddress = "127.0.0.1") =>
  h.app.inject({ method: "GET", url: "/v1/account", headers: basic(apiKey), remoteAddress });

describe("per-account rate limits", () => {
  it("ten credentials hammered at once share one account budget", async ({ startHarness }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, RATE_LIMIT_PARTNER_MANAGEMENT: "1000/60s" });
    const partner = await onboardAcquiringPartner(h);
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: basic(partner.apiKey),
        payload: { type: "API", environment: "LIVE", description: `svc ${i}` },
      });
      keys.push(json<CreatedCredential>(created).api_key ?? "");
    }
    const limits = await h.internal.inject({
      method: "PUT",
      url: `/admin/v1/accounts/${partner.accountId}/rate-limits`,
      headers: operator,
      payload: { limits: { PARTNER_MANAGEMENT: "25/60s" } },
    });
    expect(json(limits)).toMatchObject({
      limits: { PARTNER_MANAGEMENT: { limit: "25/60s", source: "override" } },
    });

    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => get(h, keys[i % 10] ?? "")));
    const admitted = responses.filter((r) => r.statusCode === 200);
    const refused = responses.filter((r) => r.statusCode === 429);
    expect(admitted).toHaveLength(25);
    expect(refused).toHaveLength(75);
    const remaining = admitted.map((r) => Number(r.headers["x-ratelimit-remaining"])).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 25 }, (_, i) => i));
    for (const r of admitted) {
      expect(r.headers["x-ratelimit-limit"]).toBe("25, 25;w=60");
      expect(Number(r.headers["x-ratelimit-reset"])).toBeGreaterThan(0);
      expect(Number(r.headers["x-ratelimit-reset"])).toBeLessThanOrEqual(60);
    }
    const one = refused[0];
    expect(json(one ?? ({ body: "{}" } as never))).toMatchObject({
      error_type: "ACCESS_ERROR",
      error_code: "RATE_LIMITED",
    });
    expect(Number(one?.headers["retry-after"])).toBeGreaterThan(0);
    expect(one?.headers["x-ratelimit-remaining"]).toBe("0");
  });

  it("counts a Partner Account and its Acquiring Partner, each against its own limit", async ({
    startHarness,
  }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, RATE_LIMIT_PARTNER_MANAGEMENT: "8/60s" });
    const parent = await onboardAcquiringPartner(h);
    const child = await onboardPartnerAccount(h, parent, "Child"); // 2 of the parent's 8
    await h.internal.inject({
      method: "PUT",
      url: `/admin/v1/accounts/${child.accountId}/rate-limits`,
      headers: operator,
      payload: { limits: { PARTNER_MANAGEMENT: "3/60s" } },
    });
    const childResults = [];
    for (let i = 0; i < 5; i++) childResults.push((await get(h, child.apiKey)).statusCode);
    expect(childResults).toEqual([200, 200, 200, 429, 429]);
    // The parent's budget held the child's 3 admitted requests too (2 + 3 of 8): 3 left.
    const parentResults = [];
    for (let i = 0; i < 5; i++) parentResults.push((await get(h, parent.apiKey)).statusCode);
    expect(parentResults).toEqual([200, 200, 200, 429, 429]);
  });

  it("shows a Partner Account its own budget, never its parent's activity", async ({ startHarness }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, RATE_LIMIT_PARTNER_MANAGEMENT: "50/60s" });
    const parent = await onboardAcquiringPartner(h);
    const child = await onboardPartnerAccount(h, parent, "Child"); // 2 of the parent's 50
    await h.internal.inject({
      method: "PUT",
      url: `/admin/v1/accounts/${child.accountId}/rate-limits`,
      headers: operator,
      payload: { limits: { PARTNER_MANAGEMENT: "40/60s" } },
    });
    for (let i = 0; i < 30; i++) await get(h, parent.apiKey);
    const seen = await get(h, child.apiKey);
    expect(seen.statusCode).toBe(200);
    // Both levels apply, each as a policy; the remaining count is the Partner Account's own.
    expect(seen.headers["x-ratelimit-limit"]).toBe("40, 40;w=60, 50;w=60");
    expect(seen.headers["x-ratelimit-remaining"]).toBe("39");
  });

  it("a noisy Partner Account cannot starve its sibling or its parent", async ({ startHarness }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, RATE_LIMIT_PARTNER_MANAGEMENT: "20/60s" });
    const parent = await onboardAcquiringPartner(h);
    const noisy = await onboardPartnerAccount(h, parent, "Noisy");
    const quiet = await onboardPartnerAccount(h, parent, "Quiet");
    const noisyResults: number[] = [];
    for (let i = 0; i < 47; i++) noisyResults.push((await get(h, noisy.apiKey)).statusCode);
    const admittedNoisy = noisyResults.filter((s) => s === 200).length;
    expect(admittedNoisy).toBeLessThanOrEqual(20);
    const quietResults: number[] = [];
    for (let i = 0; i < 5; i++) quietResults.push((await get(h, quiet.apiKey)).statusCode);
    const parentResults: number[] = [];
    for (let i = 0; i < 2; i++) parentResults.push((await get(h, parent.apiKey)).statusCode);
    process.stdout.write(
      `fairness: noisy child ${admittedNoisy}/47 admitted; quiet sibling ${quietResults.filter((s) => s === 200).length}/5; parent ${parentResults.filter((s) => s === 200).length}/2\n`,
    );
    expect(quietResults.filter((s) => s === 200).length / quietResults.length).toBeGreaterThanOrEqual(0.95);
    expect(parentResults).toEqual([200, 200]);
  });

  it("a flood of one public Client ID spends its own budgets, not its siblings'", async ({
    startHarness,
  }) => {
    const h = await startHarness({
      ...BEHIND_TLS_PROXY,
      RATE_LIMIT_CLIENT_SESSIONS: "20/60s",
      CLIENT_SESSIONS_PER_IP: "10/60s",
      CLIENT_SESSIONS_PER_CLIENT_ID: "15/60s",
    });
    const parent = await onboardAcquiringPartner(h);
    const merchants = [
      await onboardPartnerAccount(h, parent, "Flooded"),
      await onboardPartnerAccount(h, parent, "Sibling"),
    ];
    const clientIds: string[] = [];
    for (const merchant of merchants) {
      await h.app.inject({
        method: "POST",
        url: "/v1/account/allowed-origins",
        headers: basic(merchant.apiKey),
        payload: { origin: "shop.example" },
      });
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: basic(merchant.apiKey),
        payload: { type: "CLIENT", environment: "LIVE" },
      });
      clientIds.push(json<{ client_id: string }>(created).client_id);
    }
    const session = (clientId: string, remoteAddress: string) =>
      h.app.inject({
        method: "POST",
        url: "/v1/client/sessions",
        headers: { origin: "https://shop.example" },
        payload: { client_id: clientId },
        remoteAddress,
      });
    const flood: number[] = [];
    for (let i = 0; i < 47; i++) flood.push((await session(clientIds[0] ?? "", "203.0.113.66")).statusCode);
    expect(flood.filter((s) => s === 200).length).toBe(10); // the address's own budget
    // From many addresses, the Client ID's own budget ends it.
    const spread: number[] = [];
    for (let i = 0; i < 20; i++)
      spread.push((await session(clientIds[0] ?? "", `198.51.100.${i + 1}`)).statusCode);
    expect(spread.filter((s) => s === 200).length).toBe(5);
    const sibling: number[] = [];
    for (let i = 0; i < 5; i++)
      sibling.push((await session(clientIds[1] ?? "", `192.0.2.${i + 1}`)).statusCode);
    expect(sibling).toEqual([200, 200, 200, 200, 200]);
  });

  it("two operators changing different categories at once both keep their change", async ({
    startHarness,
  }) => {
    // Both changes reach the store before either is made: each must be made to what the other left.
    let arrived = 0;
    let release = (): void => undefined;
    const bothArrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    const meeting = (inner: Store): Store =>
      new Proxy(inner, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property === "changeRateLimits" && typeof value === "function") {
            return async (...args: unknown[]) => {
              arrived++;
              if (arrived === 2) release();
              await Promise.race([bothArrived, new Promise((resolve) => setTimeout(resolve, 5_000))]);
              return value.apply(target, args);
            };
          }
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const h = await startHarness(BEHIND_TLS_PROXY, { wrapStore: meeting });
    const partner = await onboardAcquiringPartner(h);
    const put = (limits: Record<string, string | null>) =>
      h.internal.inject({
        method: "PUT",
        url: `/admin/v1/accounts/${partner.accountId}/rate-limits`,
        headers: operator,
        payload: { limits },
      });
    const [first, second] = await Promise.all([
      put({ PARTNER_MANAGEMENT: "30/60s" }),
      put({ CLIENT_SESSIONS: "40/60s" }),
    ]);
    expect([first?.statusCode, second?.statusCode]).toEqual([200, 200]);
    expect(arrived).toBe(2);
    const limits = await h.internal.inject({
      method: "GET",
      url: `/admin/v1/accounts/${partner.accountId}/rate-limits`,
      headers: operator,
    });
    expect(json(limits)).toMatchObject({
      limits: {
        PARTNER_MANAGEMENT: { limit: "30/60s", source: "override" },
        CLIENT_SESSIONS: { limit: "40/60s", source: "override" },
      },
    });
    // And a later change of one category leaves the other's override alone.
    await put({ PARTNER_MANAGEMENT: null });
    expect(json(await put({}))).toMatchObject({
      limits: {
        PARTNER_MANAGEMENT: { source: "default" },
        CLIENT_SESSIONS: { limit: "40/60s", source: "override" },
      },
    });
  });

  it("rejects bad overrides and unknown categories", async ({ harness: h, partner }) => {
    for (const limits of [{ PARTNER_MANAGEMENT: "fast" }, { NOPE: "1/1s" }, { PARTNER_MANAGEMENT: "0/1s" }]) {
      const response = await h.internal.inject({
        method: "PUT",
        url: `/admin/v1/accounts/${partner.accountId}/rate-limits`,
        headers: operator,
        payload: { limits },
      });
      expect(response.statusCode).toBe(400);
    }
  });
});

describe("guessing defence", () => {
  it("1,000 random wrong keys cause no store reads and end in 429 for that address, never for its valid key", async ({
    startHarness,
  }) => {
    let reads = 0;
    const counting = (inner: Store): Store =>
      new Proxy(inner, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property === "findCredentialByLookupId" && typeof value === "function") {
            return (...args: unknown[]) => {
              reads++;
              return value.apply(target, args);
            };
          }
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const h = await startHarness(
      { ...BEHIND_TLS_PROXY, AUTH_FAILURES_PER_IP: "50/60s" },
      { wrapStore: counting },
    );
    const partner = await onboardAcquiringPartner(h);
    reads = 0;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const guess = `klarna_live_api_${randomBase62(systemRandom, 50)}`;
      const response = await get(h, guess, "198.51.100.66");
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    }
    expect(reads).toBe(0);
    expect(statuses.get(401)).toBe(50);
    expect(statuses.get(429)).toBe(950);
    // The defence stops the guesses, not the holder: the real key from that address still works,
    // five times of five, while the next guess from it is refused.
    for (let i = 0; i < 5; i++) expect((await get(h, partner.apiKey, "198.51.100.66")).statusCode).toBe(200);
    expect(
      (await get(h, `klarna_live_api_${randomBase62(systemRandom, 50)}`, "198.51.100.66")).statusCode,
    ).toBe(429);
    expect((await get(h, partner.apiKey, "198.51.100.67")).statusCode).toBe(200);
  });

  it("limits failing guesses at one key from many addresses, without locking out its holder", async ({
    startHarness,
  }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, AUTH_FAILURES_PER_KEY: "5/60s" });
    const partner = await onboardAcquiringPartner(h);
    const { crc32 } = await import("node:zlib");
    const { encodeBase62 } = await import("../src/domain/base62.ts");
    const forge = (key = partner.apiKey) => {
      const unsigned = `${key.slice(0, 28)}${randomBase62(systemRandom, 32)}`;
      return unsigned + encodeBase62(crc32(unsigned), 6);
    };
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await get(h, forge(), `203.0.113.${i + 1}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await get(h, partner.apiKey, "203.0.113.99")).statusCode).toBe(200);
    // Failure bodies do not tell an unknown key from a wrong secret or a disabled credential.
    const create = async () =>
      json<CreatedCredential>(
        await h.app.inject({
          method: "POST",
          url: "/v1/account/credentials",
          headers: basic(partner.apiKey),
          payload: { type: "API", environment: "LIVE" },
        }),
      );
    const other = await create();
    const disabled = await create();
    await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${disabled.credential_id}`,
      headers: basic(partner.apiKey),
    });
    const malformed = await get(h, "klarna_live_api_short", "192.0.2.1");
    const unknown = await get(h, `klarna_live_api_${randomBase62(systemRandom, 50)}`, "192.0.2.2");
    const wrong = await get(h, forge(other.api_key), "192.0.2.3");
    const off = await get(h, disabled.api_key ?? "", "192.0.2.4");
    const bodies = [malformed, unknown, wrong, off].map((r) => {
      expect(r.statusCode).toBe(401);
      const { error_id: _id, ...rest } = json<Record<string, string>>(r);
      return JSON.stringify(rest);
    });
    expect(new Set(bodies).size).toBe(1);
  });
});
