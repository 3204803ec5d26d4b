import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { startServer } from "../src/main.ts";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner, PEPPER } from "./harness.ts";

const ROTATED_PEPPER = "rotated-pepper-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const ORIGIN = "https://shop.example";

/** A browser session of a new Client ID, and a create made with an idempotency key. */
async function sessionAndReplayable(harness: Harness, partner: OnboardedPartner) {
  const allowed = await harness.app.inject({
    method: "POST",
    url: "/v1/account/allowed-origins",
    headers: basic(partner.apiKey),
    payload: { origin: "shop.example" },
  });
  expect(allowed.statusCode, allowed.body).toBe(200);
  const client = json<{ client_id: string }>(
    await harness.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
      payload: { type: "CLIENT", environment: "LIVE", description: "web shop" },
    }),
  );
  const session = await harness.app.inject({
    method: "POST",
    url: "/v1/client/sessions",
    headers: { origin: ORIGIN, "content-type": "application/json" },
    payload: { client_id: client.client_id },
  });
  expect(session.statusCode, session.body).toBe(200);
  const first = await create(harness.app, partner.apiKey);
  expect(first.statusCode).toBe(200);
  return { token: json<{ session_token: string }>(session).session_token, first: json(first) };
}

const create = (app: Harness["app"], apiKey: string) =>
  app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: { ...basic(apiKey), "klarna-idempotency-key": "order-service-1" },
    payload: { type: "API", environment: "LIVE", description: "orders" },
  });

const verify = (app: Harness["app"], token: string) =>
  app.inject({
    method: "POST",
    url: "/v1/client/sessions/verify",
    payload: { session_token: token, origin: ORIGIN },
  });

describe("each secret has one purpose", () => {
  it("a pepper rotation keeps browser sessions and idempotent replays, and the old API keys", async ({
    harness: h,
    partner,
  }) => {
    const { token, first } = await sessionAndReplayable(h, partner);
    // After the rotation: the new pepper signs new hashes, the old one only verifies.
    const rotated = await h.anotherInstance({
      PEPPER: ROTATED_PEPPER,
      PEPPER_VERSION: "2",
      PREVIOUS_PEPPERS: `1:${PEPPER}`,
    });
    const verified = await verify(rotated.app, token);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(json(verified)).toMatchObject({ account_id: partner.accountId, origin: ORIGIN });
    const replay = await create(rotated.app, partner.apiKey);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.headers["klarna-idempotent-replayed"]).toBe("true");
    const { api_key: _secret, ...kept } = first;
    expect(json(replay)).toEqual({ ...kept, api_key_redacted: true });
  });

  it("sessions are signed under the session secret: another one refuses them, whatever the pepper", async ({
    harness: h,
    partner,
  }) => {
    const { token } = await sessionAndReplayable(h, partner);
    const other = await h.anotherInstance({ SESSION_SECRET: "another-session-secret-5a4b3c2d1e0f9a8b7c6d" });
    expect((await verify(other.app, token)).statusCode).toBe(401);
    // The same instance, the pepper unchanged, still accepts it.
    expect((await verify(h.app, token)).statusCode).toBe(200);
  });
});

describe("serve's secrets", () => {
  it("generates a session secret of its own beside the pepper, and keeps it across restarts", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "serve-secrets-"));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", INTERNAL_PORT: "0", TLS_PORT: "off" });
      const { readSecretFile } = await import("../src/secret-files.ts");
      const first = await startServer(config, createLogger({ level: "silent" }));
      await first.close();
      const secret = readSecretFile(dataDir, "session-secret");
      expect(secret?.length).toBeGreaterThanOrEqual(32);
      expect(secret).not.toBe(readSecretFile(dataDir, "pepper"));
      const second = await startServer(config, createLogger({ level: "silent" }));
      await second.close();
      expect(readSecretFile(dataDir, "session-secret")).toBe(secret);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("with several instances, refuses to start on a session secret it would generate for itself", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "serve-secrets-"));
    try {
      const config = loadConfig({
        DATA_DIR: dataDir,
        PORT: "0",
        INTERNAL_PORT: "0",
        TLS_PORT: "off",
        INSTANCE_COUNT: "2",
      });
      await expect(startServer(config, createLogger({ level: "silent" }))).rejects.toThrow(
        /INSTANCE_COUNT is 2: set SESSION_SECRET, the same on every instance/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
