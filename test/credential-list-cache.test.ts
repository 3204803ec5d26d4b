import { describe, expect } from "vitest";
import type { Store } from "../src/store/port.ts";
import { test } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner, onboardAcquiringPartner } from "./harness.ts";

interface Listed {
  credential_id: string;
  description: string;
  status: string;
  last_used_at?: string;
}

/** Counts the store's list reads under the caches. */
function counted(): { wrapStore: (store: Store) => Store; reads: () => number; views: () => number } {
  let reads = 0;
  let views = 0;
  return {
    reads: () => reads,
    views: () => views,
    wrapStore: (store) =>
      new Proxy(store, {
        get(target, property, receiver) {
          if (property === "viewCredentials") {
            return (query: Parameters<Store["viewCredentials"]>[0]) => {
              reads++;
              return target.viewCredentials(query);
            };
          }
          if (property === "viewCredential") {
            return (accountId: string, credentialId: string) => {
              views++;
              return target.viewCredential(accountId, credentialId);
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
  };
}

async function list(app: Harness["app"], partner: OnboardedPartner): Promise<Listed[]> {
  const response = await app.inject({
    method: "GET",
    url: "/v1/account/credentials",
    headers: basic(partner.apiKey),
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  return json<{ credentials: Listed[] }>(response).credentials;
}

async function call(h: Harness, partner: OnboardedPartner, method: string, url: string, payload?: object) {
  const response = await h.app.inject({
    method: method as "POST",
    url,
    headers: basic(partner.apiKey),
    ...(payload ? { payload } : {}),
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.body ? json<Record<string, string>>(response) : {};
}

describe("credential lists, cached per account", () => {
  const reads = counted();
  const it = test.override({ harnessOptions: { wrapStore: reads.wrapStore } });

  it("answers a repeated list from memory, and shows every change to the account's credentials at once", async ({
    harness: h,
    partner,
  }) => {
    const other = await onboardAcquiringPartner(h, "Other Payments");
    const start = reads.reads();
    const first = await list(h.app, partner);
    expect(await list(h.app, partner)).toEqual(first);
    expect(reads.reads() - start).toBe(1);
    const metrics = (await h.internal.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('partner_credentials_list_cache_lookups_total{result="hit"} 1\n');
    expect(metrics).toContain('partner_credentials_list_cache_lookups_total{result="miss"} 1\n');

    // Another account's change leaves this account's page cached.
    await call(h, other, "POST", "/v1/account/credentials", {
      type: "API",
      environment: "LIVE",
      description: "x",
    });
    await list(h.app, partner);
    expect(reads.reads() - start).toBe(1);

    const created = await call(h, partner, "POST", "/v1/account/credentials", {
      type: "API",
      environment: "LIVE",
      description: "checkout",
    });
    const id = created.credential_id as string;
    // The list, and the credential read on its own, which is cached with the account's lists.
    const find = async () => {
      const listed = (await list(h.app, partner)).find((c) => c.credential_id === id);
      expect(await call(h, partner, "GET", `/v1/account/credentials/${id}`)).toEqual(listed);
      return listed;
    };
    expect((await find())?.description).toBe("checkout");

    await call(h, partner, "PATCH", `/v1/account/credentials/${id}`, { description: "checkout v2" });
    expect((await find())?.description).toBe("checkout v2");

    await call(h, partner, "DELETE", `/v1/account/credentials/${id}`);
    expect((await find())?.status).toBe("DISABLED");

    await call(h, partner, "POST", `/v1/account/credentials/${id}/enable`);
    expect((await find())?.status).toBe("ACTIVE");

    const rotated = await call(h, partner, "POST", `/v1/account/credentials/${id}/rotate`, {
      overlap: "PT0S",
    });
    const listed = await list(h.app, partner);
    expect(listed.find((c) => c.credential_id === id)?.status).toBe("DISABLED");
    expect(listed.some((c) => c.credential_id === rotated.credential_id)).toBe(true);

    // A use shows once the flush has written it (the flush announces the accounts it wrote for).
    const own = async () =>
      (await list(h.app, partner)).find((c) => c.credential_id === partner.credentialId);
    h.clock.advance(120_000);
    await list(h.app, partner);
    await h.usage.flush();
    expect((await own())?.last_used_at).toBe(h.clock.now().toISOString());
  });

  it("answers a repeated credential read from memory, and not one of another account", async ({
    harness: h,
    partner,
  }) => {
    const other = await onboardAcquiringPartner(h, "Other Payments");
    const start = reads.views();
    const url = `/v1/account/credentials/${partner.credentialId}`;
    const first = await call(h, partner, "GET", url);
    expect(await call(h, partner, "GET", url)).toEqual(first);
    expect(reads.views() - start).toBe(1);
    const foreign = await h.app.inject({ method: "GET", url, headers: basic(other.apiKey) });
    expect(foreign.statusCode).toBe(404);
  });

  it("bounds what another instance's change leaves stale by CACHE_FALLBACK_TTL when no bus joins them", async ({
    harness: h,
    partner,
  }) => {
    const other = await h.anotherInstance({});
    const before = await list(h.app, partner);
    const response = await other.app.inject({
      method: "PATCH",
      url: `/v1/account/credentials/${partner.credentialId}`,
      headers: basic(partner.apiKey),
      payload: { description: "changed elsewhere" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await list(h.app, partner)).toEqual(before);
    h.clock.advance(5_000);
    const after = await list(h.app, partner);
    expect(after.find((c) => c.credential_id === partner.credentialId)?.description).toBe(
      "changed elsewhere",
    );
  });
});

describe("credential lists with LIST_CACHE_SIZE=0", () => {
  const reads = counted();
  const it = test.override({ harnessOptions: { env: { LIST_CACHE_SIZE: "0" }, wrapStore: reads.wrapStore } });

  it("reads the store for every list", async ({ harness: h, partner }) => {
    const start = reads.reads();
    await list(h.app, partner);
    await list(h.app, partner);
    expect(reads.reads() - start).toBe(2);
  });
});
