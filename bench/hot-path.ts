/**
 * The authentication hot path, in process: `app.inject` of the partners' API (no sockets), as
 * operations per second and as a ratio to one HMAC-SHA-256 of a key measured in the same run (the
 * least any verification of a hashed key can cost).
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { buildApps } from "../src/apps.ts";
import { buildServices } from "../src/compose.ts";
import { loadConfig } from "../src/config.ts";
import { encodeBase62 } from "../src/domain/base62.ts";
import { generateKey } from "../src/domain/key-format.ts";
import { pepperRing } from "../src/domain/secret-hash.ts";
import { startJobs } from "../src/jobs.ts";
import { createLogger } from "../src/logger.ts";
import { CertificateAuthority } from "../src/services/certificate-authority.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "../src/system.ts";
import { LOOP_SECONDS, type LoopResult, measure } from "./measure.ts";

export const STORED_CREDENTIALS = 2001;

export interface HotPathResults {
  baseline: LoopResult;
  cases: LoopResult[];
}

export async function runHotPath(progress: (line: string) => void): Promise<HotPathResults> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-bench-"));
  const pepper = "b".repeat(43);
  const services = await buildServices(
    loadConfig({
      DATA_DIR: dataDir,
      USAGE_FLUSH_INTERVAL: "PT1S",
      RATE_LIMIT_PARTNER_MANAGEMENT: "100000000/1s",
      AUTH_FAILURES_PER_IP: "100000000/1m",
      AUTH_FAILURES_PER_KEY: "100000000/1m",
    }),
    {
      store: await openSqliteStore(join(dataDir, "bench.sqlite")),
      logger: createLogger({ level: "silent" }),
      clock: systemClock,
      random: systemRandom,
      keys: {
        peppers: pepperRing({ version: 1, secret: pepper }, new Map()),
        ca: await CertificateAuthority.ephemeral({ now: new Date(), random: systemRandom }),
      },
    },
  );
  const { app, internal } = await buildApps(services, {
    adminToken: "a".repeat(43),
    sessionSecret: "s".repeat(43),
  });
  // As in `serve`: last-use records are flushed while the loops run.
  const jobs = startJobs(services);
  try {
    await app.ready();
    await internal.ready();
    // The admin API lives on the internal listener since the split.
    const created = await internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: { authorization: `Bearer ${"a".repeat(43)}` },
      payload: { name: "Bench" },
    });
    if (created.statusCode !== 201) throw new Error(`create account: ${created.statusCode} ${created.body}`);
    const link = new URL((created.json() as { onboarding_url: string }).onboarding_url).pathname;
    const claim = await app.inject({ method: "POST", url: link, headers: { accept: "application/json" } });
    if (claim.statusCode >= 300) throw new Error(`claim onboarding link: ${claim.statusCode} ${claim.body}`);
    const apiKey = (claim.json() as { api_key: string }).api_key;
    progress(`hot path: storing ${STORED_CREDENTIALS - 1} more credentials`);
    // Enough other credentials that lookups go through a real index.
    for (let i = 0; i < STORED_CREDENTIALS - 1; i++) {
      const made = await app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: { authorization: `Basic ${apiKey}` },
        payload: { type: i % 2 ? "API" : "CLIENT", environment: "TEST" },
      });
      if (made.statusCode !== 201) throw new Error(`create credential: ${made.statusCode} ${made.body}`);
    }
    const unknownKey = generateKey({
      brand: "klarna",
      environment: "LIVE",
      type: "API",
      random: systemRandom,
    }).key;
    // Same lookup id as the real key, another secret, valid checksum: only the HMAC comparison fails.
    const forgedUnsigned = `${apiKey.slice(0, 28)}${unknownKey.slice(28, 60)}`;
    const wrongSecret = forgedUnsigned + encodeBase62(crc32(forgedUnsigned), 6);
    const disabled = await app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: { authorization: `Basic ${apiKey}` },
      payload: { type: "API", environment: "LIVE" },
    });
    const disabledBody = disabled.json() as { api_key: string; credential_id: string };
    await app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${disabledBody.credential_id}`,
      headers: { authorization: `Basic ${apiKey}` },
    });
    const badChecksum = `${apiKey.slice(0, -1)}${apiKey.endsWith("A") ? "B" : "A"}`;
    const get = (key: string) => () =>
      app.inject({ method: "GET", url: "/v1/account", headers: { authorization: `Basic ${key}` } });
    const valid = await get(apiKey)();
    if (valid.statusCode !== 200) throw new Error(`GET /v1/account: ${valid.statusCode} ${valid.body}`);

    progress(`hot path: ${LOOP_SECONDS} s per case`);
    const baseline = await measure("one HMAC-SHA-256 of a key", () =>
      createHmac("sha256", pepper).update(apiKey).digest("base64url"),
    );
    const cases = [
      await measure("GET /healthz (no auth; framework floor)", () =>
        app.inject({ method: "GET", url: "/healthz" }),
      ),
      await measure("GET /v1/account, valid key", get(apiKey)),
      await measure("GET /v1/account, unknown well-formed key", get(unknownKey)),
      await measure("GET /v1/account, right lookup id, wrong secret", get(wrongSecret)),
      await measure("GET /v1/account, disabled key", get(disabledBody.api_key)),
      await measure("GET /v1/account, wrong checksum (no store read)", get(badChecksum)),
    ];
    return { baseline, cases };
  } finally {
    await Promise.all([app.close(), internal.close()]);
    await jobs.stop();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
