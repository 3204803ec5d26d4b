import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import { basic, json, onboardPartnerAccount, operator, PEPPER } from "./harness.ts";

describe("no secret at rest or in logs", () => {
  it("keeps no issued API key, link token, pepper or operator token in the database files or the logs", async ({
    harness: h,
    partner,
  }) => {
    const secrets: string[] = [PEPPER, "test-operator-token-0123456789abcdef0123456789"];
    secrets.push(partner.apiKey);
    const child = await onboardPartnerAccount(h, partner, "Child Shop");
    secrets.push(child.apiKey);
    for (const environment of ["LIVE", "TEST"]) {
      const created = await h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: { ...basic(partner.apiKey), "klarna-idempotency-key": `k-${environment}` },
        payload: { type: "API", environment, description: "svc" },
      });
      secrets.push(json<{ api_key: string }>(created).api_key);
    }
    // A link that stays unclaimed, one that is claimed, and failed attempts with real and fake keys.
    const pending = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: operator,
      payload: { name: "Later" },
    });
    const pendingToken =
      new URL(json<{ onboarding_url: string }>(pending).onboarding_url).pathname.split("/").pop() ?? "";
    secrets.push(pendingToken);
    await h.app.inject({ method: "GET", url: `/onboarding/${pendingToken}` });
    // Encoded and mistyped paths reach the page (or a 404) too; the token must not be logged either way.
    expect((await h.app.inject({ method: "GET", url: `/%6Fnboarding/${pendingToken}` })).statusCode).toBe(
      200,
    );
    await h.app.inject({ method: "GET", url: `/Onboarding/${pendingToken}?again=${pendingToken}` });
    await h.app.inject({ method: "GET", url: `/v1/account?key=${partner.apiKey}` });
    const claimed = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: operator,
      payload: { name: "Now" },
    });
    const claimedUrl = new URL(json<{ onboarding_url: string }>(claimed).onboarding_url).pathname;
    secrets.push(claimedUrl.split("/").pop() ?? "");
    const claim = await h.app.inject({
      method: "POST",
      url: claimedUrl,
      headers: { accept: "application/json" },
    });
    secrets.push(json<{ api_key: string }>(claim).api_key);
    await h.app.inject({ method: "POST", url: claimedUrl });
    await h.app.inject({
      method: "GET",
      url: "/v1/account",
      headers: basic(`${partner.apiKey.slice(0, -1)}x`),
    });
    await h.app.inject({
      method: "GET",
      url: "/v1/account",
      headers: { authorization: `Bearer ${partner.apiKey}` },
    });
    await h.app.inject({ method: "GET", url: "/nope", headers: basic(partner.apiKey) });
    await h.usage.flush();

    const bytes = await h.storedBytes();
    expect(bytes.length).toBeGreaterThan(5_000);
    const logs = h.logs();
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain("/onboarding/[REDACTED]");
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(bytes.includes(Buffer.from(secret)), `database holds ${secret.slice(0, 12)}…`).toBe(false);
      expect(logs.includes(secret), `logs hold ${secret.slice(0, 12)}…`).toBe(false);
    }
    // The store does hold what it needs: the lookup ids and hashes.
    expect(bytes.includes(Buffer.from(partner.apiKey.slice(16, 28)))).toBe(true);
  });
});
