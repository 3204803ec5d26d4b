import type { LightMyRequestResponse } from "fastify";
import { describe, expect } from "vitest";
import { escapeHtml } from "../src/http/console/html.ts";
import { signedInConsoleUser } from "./console-account-helpers.ts";
import type { ConsoleClient } from "./console-client.ts";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner, operator } from "./harness.ts";

/*
 * Nothing in the console can do what the API would refuse: each case is driven through the
 * Partner Management API and through the console's forms, on the same account and in the same
 * state, and both must refuse with the same status and the same error message (or both accept).
 */

interface World {
  h: Harness;
  partner: OnboardedPartner;
  browser: ConsoleClient;
  /** `/console/accounts/{id}` */
  base: string;
}

interface Case {
  name: string;
  /** Brings the account into the case's state; answers what the two requests need. */
  setup?: (world: World) => Promise<Record<string, string>>;
  api: (world: World, facts: Record<string, string>) => Promise<LightMyRequestResponse>;
  console: (world: World, facts: Record<string, string>) => Promise<LightMyRequestResponse>;
  /** Both accept (the API with 2xx, the console with its page or a redirect back to it). */
  accepted?: boolean;
}

async function api(
  world: World,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  url: string,
  payload?: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return world.h.app.inject({
    method,
    url,
    headers: basic(world.partner.apiKey),
    ...(payload ? { payload } : {}),
  });
}

async function consolePost(
  world: World,
  page: string,
  path: string,
  fields: Record<string, string | readonly string[]> = {},
): Promise<LightMyRequestResponse> {
  await world.browser.get(`${world.base}/${page}`);
  return world.browser.post(`${world.base}/${path}`, fields);
}

async function createCredential(world: World, type: "API" | "CLIENT", environment = "LIVE"): Promise<string> {
  const made = await api(world, "POST", "/v1/account/credentials", {
    type,
    environment,
    description: "parity",
  });
  if (made.statusCode !== 200) throw new Error(made.body);
  return json<{ credential_id: string }>(made).credential_id;
}

const CASES: readonly Case[] = [
  {
    name: "a description that holds an API key",
    api: (w) =>
      api(w, "POST", "/v1/account/credentials", {
        type: "API",
        environment: "LIVE",
        description: `copy of ${w.partner.apiKey}`,
      }),
    console: (w) =>
      consolePost(w, "keys", "keys", { description: `copy of ${w.partner.apiKey}`, environment: "LIVE" }),
  },
  {
    name: "a description with characters the API does not take",
    api: (w) =>
      api(w, "POST", "/v1/account/credentials", {
        type: "API",
        environment: "LIVE",
        description: "<script>",
      }),
    console: (w) => consolePost(w, "keys", "keys", { description: "<script>", environment: "LIVE" }),
  },
  {
    name: "an unknown environment",
    api: (w) => api(w, "POST", "/v1/account/credentials", { type: "API", environment: "STAGING" }),
    console: (w) => consolePost(w, "keys", "keys", { environment: "STAGING" }),
  },
  {
    name: "a changed description that holds a key",
    api: (w) =>
      api(w, "PATCH", `/v1/account/credentials/${w.partner.credentialId}`, {
        description: `is ${w.partner.apiKey}`,
      }),
    console: (w) =>
      consolePost(w, "keys", `keys/${w.partner.credentialId}/description`, {
        description: `is ${w.partner.apiKey}`,
      }),
  },
  {
    name: "an invalid origin (scheme and path)",
    api: (w) => api(w, "POST", "/v1/account/allowed-origins", { origin: "https://shop.example.com/cart" }),
    console: (w) => consolePost(w, "clients", "clients/origins", { origin: "https://shop.example.com/cart" }),
  },
  {
    name: "a bare * origin on a LIVE account",
    api: (w) => api(w, "POST", "/v1/account/allowed-origins", { origin: "*" }),
    console: (w) => consolePost(w, "clients", "clients/origins", { origin: "*" }),
  },
  {
    name: "an origin registered already",
    setup: async (w) => {
      await api(w, "POST", "/v1/account/allowed-origins", { origin: "shop.example.com" });
      return {};
    },
    api: (w) => api(w, "POST", "/v1/account/allowed-origins", { origin: "shop.example.com" }),
    console: (w) => consolePost(w, "clients", "clients/origins", { origin: "shop.example.com" }),
  },
  {
    name: "disabling an already disabled key (accepted, nothing changes)",
    accepted: true,
    setup: async (w) => {
      const id = await createCredential(w, "API");
      await api(w, "DELETE", `/v1/account/credentials/${id}`);
      return { id };
    },
    api: (w, f) => api(w, "DELETE", `/v1/account/credentials/${f.id}`),
    console: (w, f) => consolePost(w, "keys", `keys/${f.id}/disable`),
  },
  {
    name: "rotating a Client ID already rotated",
    setup: async (w) => {
      const id = await createCredential(w, "CLIENT");
      await api(w, "POST", `/v1/account/credentials/${id}/rotate`, {});
      return { id };
    },
    api: (w, f) => api(w, "POST", `/v1/account/credentials/${f.id}/rotate`, {}),
    console: (w, f) => consolePost(w, "clients", `keys/${f.id}/rotate`, { return_to: "clients" }),
  },
  {
    name: "rotating a disabled key",
    setup: async (w) => {
      const id = await createCredential(w, "API");
      await api(w, "DELETE", `/v1/account/credentials/${id}`);
      return { id };
    },
    api: (w, f) => api(w, "POST", `/v1/account/credentials/${f.id}/rotate`, { overlap: "PT1H" }),
    console: (w, f) => consolePost(w, "keys", `keys/${f.id}/rotate`, { overlap: "PT1H" }),
  },
  {
    name: "a rotation overlap over 30 days",
    setup: async (w) => ({ id: await createCredential(w, "API") }),
    api: (w, f) => api(w, "POST", `/v1/account/credentials/${f.id}/rotate`, { overlap: "P31D" }),
    console: (w, f) => consolePost(w, "keys", `keys/${f.id}/rotate`, { overlap: "P31D" }),
  },
  {
    name: "enabling a key reported LEAKED, as the partner",
    setup: async (w) => {
      const id = await createCredential(w, "API");
      const account = await w.h.services.accounts.get(w.partner.accountId);
      if (!account) throw new Error("no account");
      await w.h.services.credentials.disable(
        account,
        { actor: { kind: "system" }, sourceIp: null },
        id,
        "LEAKED",
      );
      return { id };
    },
    api: (w, f) => api(w, "POST", `/v1/account/credentials/${f.id}/enable`),
    console: (w, f) => consolePost(w, "keys", `keys/${f.id}/enable`),
  },
  {
    name: "enabling a rotated-out key",
    setup: async (w) => {
      const id = await createCredential(w, "API");
      await api(w, "POST", `/v1/account/credentials/${id}/rotate`, { overlap: "PT0S" });
      return { id };
    },
    api: (w, f) => api(w, "POST", `/v1/account/credentials/${f.id}/enable`),
    console: (w, f) => consolePost(w, "keys", `keys/${f.id}/enable`),
  },
  {
    name: "too many active Client IDs",
    setup: async (w) => {
      for (;;) {
        const made = await api(w, "POST", "/v1/account/credentials", { type: "CLIENT", environment: "LIVE" });
        if (made.statusCode !== 200) return {};
      }
    },
    api: (w) => api(w, "POST", "/v1/account/credentials", { type: "CLIENT", environment: "LIVE" }),
    console: (w) => consolePost(w, "clients", "clients", { environment: "LIVE" }),
  },
  {
    name: "an unknown credential",
    api: (w) => api(w, "DELETE", "/v1/account/credentials/0190c1c4-0000-7000-8000-000000000000"),
    console: (w) => consolePost(w, "keys", "keys/0190c1c4-0000-7000-8000-000000000000/disable"),
  },
  {
    name: "enforcing mTLS without a client certificate",
    api: (w) => api(w, "PUT", "/v1/account/mtls-enforcement", { enforced_from: "NOW" }),
    console: (w) => consolePost(w, "security", "security/mtls", { enforced_from: "NOW" }),
  },
  {
    name: "an mTLS start in the past",
    api: (w) => api(w, "PUT", "/v1/account/mtls-enforcement", { enforced_from: "2020-01-01T00:00:00Z" }),
    console: (w) => consolePost(w, "security", "security/mtls", { enforced_from: "2020-01-01T00:00:00Z" }),
  },
  {
    name: "a CSR that is not one",
    api: (w) =>
      api(w, "POST", "/v1/account/client-certificates", { certificate_signing_request: "not a csr" }),
    console: (w) => consolePost(w, "security", "security/certificates", { csr: "not a csr" }),
  },
  {
    name: "an IP allow-list entry that is not an address",
    api: (w) =>
      api(w, "PUT", "/v1/account/ip-restriction", {
        enforcement_mode: "REPORTING",
        allowed_ips: ["192.0.2.0/24", "10.0.0.0/33"],
      }),
    console: (w) =>
      consolePost(w, "security", "security/ip-restriction", {
        enforcement_mode: "REPORTING",
        allowed_ips: "192.0.2.0/24\n10.0.0.0/33",
      }),
  },
  {
    name: "enforcing an IP allow-list that leaves the caller out",
    api: (w) =>
      api(w, "PUT", "/v1/account/ip-restriction", {
        enforcement_mode: "ENFORCED",
        allowed_ips: ["192.0.2.0/24"],
      }),
    console: (w) =>
      consolePost(w, "security", "security/ip-restriction", {
        enforcement_mode: "ENFORCED",
        allowed_ips: "192.0.2.0/24",
      }),
  },
  {
    name: "a suspended account: every key and every user refused alike, reads too",
    setup: async (w) => {
      const suspended = await w.h.internal.inject({
        method: "POST",
        url: `/admin/v1/accounts/${w.partner.accountId}/suspend`,
        headers: operator,
      });
      expect(suspended.statusCode).toBe(200);
      return {};
    },
    api: (w) => api(w, "POST", "/v1/account/credentials", { type: "API", description: "x" }),
    console: (w) => consolePost(w, "keys", "keys", { description: "x", environment: "LIVE" }),
  },
  {
    name: "a webhook endpoint on plain http",
    api: (w) =>
      api(w, "POST", "/v1/account/webhooks", {
        url: "http://hooks.example.com/",
        events: ["credential.created"],
      }),
    console: (w) =>
      consolePost(w, "webhooks", "webhooks", {
        url: "http://hooks.example.com/",
        events: "credential.created",
      }),
  },
  {
    name: "a webhook event type that does not exist",
    api: (w) =>
      api(w, "POST", "/v1/account/webhooks", {
        url: "https://hooks.example.com/",
        events: ["credential.eaten"],
      }),
    console: (w) =>
      consolePost(w, "webhooks", "webhooks", {
        url: "https://hooks.example.com/",
        events: "credential.eaten",
      }),
  },
];

describe("the console refuses what the API refuses, with the same message", () => {
  for (const c of CASES) {
    it(c.name, async ({ harness: h, partner }) => {
      const browser = await signedInConsoleUser(h, {
        accountId: partner.accountId,
        email: "owner@acme.example",
        role: "owner",
      });
      const world: World = {
        h,
        partner,
        browser,
        base: `/console/accounts/${encodeURIComponent(partner.accountId)}`,
      };
      const facts = (await c.setup?.(world)) ?? {};
      const fromApi = await c.api(world, facts);
      const fromConsole = await c.console(world, facts);
      if (c.accepted) {
        expect(fromApi.statusCode, fromApi.body).toBeLessThan(300);
        expect([200, 303], fromConsole.body).toContain(fromConsole.statusCode);
        return;
      }
      expect(fromApi.statusCode, fromApi.body).toBeGreaterThanOrEqual(400);
      expect(fromConsole.statusCode, fromConsole.body).toBe(fromApi.statusCode);
      const { error_message, errors } = json<{ error_message: string; errors?: { error_message: string }[] }>(
        fromApi,
      );
      expect(fromConsole.body).toContain(escapeHtml(error_message));
      for (const issue of errors ?? []) expect(fromConsole.body).toContain(escapeHtml(issue.error_message));
    });
  }
});
