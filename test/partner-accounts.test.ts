import { describe, expect } from "vitest";
import { test } from "./fixtures.ts";
import { basic, type Harness, json, onboardAcquiringPartner, onboardPartnerAccount } from "./harness.ts";

/** Two Acquiring Partners: the first with the Partner Accounts Alpha and Beta, the second with Gamma. */
const it = test.extend("accounts", async ({ harness: h }) => {
  const parent = await onboardAcquiringPartner(h, "Acquirer One");
  const alpha = await onboardPartnerAccount(h, parent, "Alpha Shop");
  const beta = await onboardPartnerAccount(h, parent, "Beta Shop");
  const otherParent = await onboardAcquiringPartner(h, "Acquirer Two");
  const otherChild = await onboardPartnerAccount(h, otherParent, "Gamma Shop");
  return { parent, alpha, beta, otherParent, otherChild };
});

const req = (
  h: Harness,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  apiKey: string,
  payload?: object,
) => h.app.inject({ method, url, headers: basic(apiKey), ...(payload ? { payload } : {}) });

describe("Acquiring Partner and its Partner Accounts", () => {
  it("lets an Acquiring Partner onboard Partner Accounts and manage their credentials", async ({
    harness: h,
    accounts: { parent, alpha, beta },
  }) => {
    const listed = json<{ accounts: { account_id: string; type: string; parent_account_id: string }[] }>(
      await req(h, "GET", "/v1/accounts", parent.apiKey),
    );
    expect(listed.accounts.map((a) => a.account_id).sort()).toEqual([alpha.accountId, beta.accountId].sort());
    for (const account of listed.accounts) {
      expect(account).toMatchObject({ type: "PARTNER_ACCOUNT", parent_account_id: parent.accountId });
    }

    const base = `/v1/accounts/${alpha.accountId}/credentials`;
    const created = await req(h, "POST", base, parent.apiKey, {
      type: "CLIENT",
      environment: "TEST",
      description: "alpha web",
    });
    expect(created.statusCode).toBe(200);
    const id = json<{ credential_id: string }>(created).credential_id;
    expect(
      json<{ credentials: unknown[] }>(await req(h, "GET", base, parent.apiKey)).credentials,
    ).toHaveLength(2);
    expect(
      (await req(h, "PATCH", `${base}/${id}`, parent.apiKey, { description: "alpha web v2" })).statusCode,
    ).toBe(200);
    expect((await req(h, "DELETE", `${base}/${id}`, parent.apiKey)).statusCode).toBe(204);
    expect((await req(h, "POST", `${base}/${id}/enable`, parent.apiKey)).statusCode).toBe(200);
    expect((await req(h, "GET", `${base}/${id}`, parent.apiKey)).statusCode).toBe(200);

    const own = json<{ credentials: { credential_id: string }[] }>(
      await req(h, "GET", "/v1/account/credentials", alpha.apiKey),
    );
    expect(own.credentials.map((c) => c.credential_id)).toContain(id);
    const audit = json<{ audit_events: { action: string }[] }>(
      await req(h, "GET", `/v1/accounts/${alpha.accountId}/audit-events`, parent.apiKey),
    );
    expect(audit.audit_events.map((e) => e.action)).toEqual([
      "credential.enabled",
      "credential.disabled",
      "credential.description_changed",
      "credential.created",
      "credential.created",
    ]);
  });

  it("never lets a Partner Account reach its parent, its siblings or other partners (404)", async ({
    harness: h,
    accounts: { parent, alpha, beta, otherParent, otherChild },
  }) => {
    const parentCredential = parent.credentialId;
    for (const key of [alpha.apiKey]) {
      for (const target of [
        parent.accountId,
        beta.accountId,
        otherParent.accountId,
        otherChild.accountId,
        alpha.accountId,
      ]) {
        const base = `/v1/accounts/${target}`;
        for (const [method, path] of [
          ["GET", "/credentials"],
          ["POST", "/credentials"],
          ["GET", `/credentials/${parentCredential}`],
          ["DELETE", `/credentials/${parentCredential}`],
          ["POST", `/credentials/${parentCredential}/enable`],
          ["GET", "/audit-events"],
          ["GET", ""],
        ] as const) {
          const response = await req(
            h,
            method,
            `${base}${path}`,
            key,
            method === "POST" && path === "/credentials" ? { type: "API", environment: "LIVE" } : undefined,
          );
          expect(response.statusCode, `${method} ${base}${path}`).toBe(404);
          expect(json(response)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "NOT_FOUND" });
        }
      }
      // Own-account paths are scoped to the caller: the parent's credential id is simply not there.
      expect((await req(h, "GET", `/v1/account/credentials/${parentCredential}`, key)).statusCode).toBe(404);
      expect((await req(h, "DELETE", `/v1/account/credentials/${parentCredential}`, key)).statusCode).toBe(
        404,
      );
      expect((await req(h, "DELETE", `/v1/account/credentials/${beta.credentialId}`, key)).statusCode).toBe(
        404,
      );
    }
    // Partner Accounts cannot onboard or list accounts of their own.
    expect((await req(h, "POST", "/v1/accounts", alpha.apiKey, { name: "Sub" })).statusCode).toBe(403);
    expect((await req(h, "GET", "/v1/accounts", alpha.apiKey)).statusCode).toBe(403);
    // Everything untouched: the parent's key still works and nothing was disabled.
    const parentList = json<{ credentials: { status: string }[] }>(
      await req(h, "GET", "/v1/account/credentials", parent.apiKey),
    );
    expect(parentList.credentials.every((c) => c.status === "ACTIVE")).toBe(true);
  });

  it("never lets an Acquiring Partner reach another partner's accounts (404)", async ({
    harness: h,
    accounts: { parent, alpha, beta, otherParent, otherChild },
  }) => {
    for (const target of [otherChild.accountId, otherParent.accountId, parent.accountId]) {
      const response = await req(h, "GET", `/v1/accounts/${target}/credentials`, parent.apiKey);
      expect(response.statusCode, target).toBe(404);
    }
    const cross = await req(
      h,
      "DELETE",
      `/v1/accounts/${alpha.accountId}/credentials/${beta.credentialId}`,
      parent.apiKey,
    );
    expect(cross.statusCode).toBe(404);
    const betaStill = await req(h, "GET", "/v1/account", beta.apiKey);
    expect(betaStill.statusCode).toBe(200);
  });

  it("rejects malformed account ids as input errors", async ({ harness: h, accounts: { parent } }) => {
    const response = await req(h, "GET", "/v1/accounts/not-an-account/credentials", parent.apiKey);
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({
      error_code: "VALIDATION_ERROR",
      errors: [{ parameter: "account_id" }],
    });
  });
});
