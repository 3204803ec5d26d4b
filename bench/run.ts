/**
 * Authentication hot-path benchmark. Each case runs for a fixed time in this process; results are
 * printed as operations per second and as a ratio to the baseline measured in the same run (one
 * HMAC-SHA-256 of a key: the least any verification of a hashed key can cost).
 *   npm run bench
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { compose } from "../src/compose.ts";
import { loadConfig } from "../src/config.ts";
import { encodeBase62 } from "../src/domain/base62.ts";
import { generateKey } from "../src/domain/key-format.ts";
import { createLogger } from "../src/logger.ts";
import { CertificateAuthority } from "../src/services/certificate-authority.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "../src/system.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function measure(
  name: string,
  run: () => unknown | Promise<unknown>,
): Promise<{ name: string; perSecond: number }> {
  for (let i = 0; i < 200; i++) await run();
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SECONDS * 1e9);
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) await run();
    count += 50;
    now = process.hrtime.bigint();
  }
  return { name, perSecond: count / (Number(now - start) / 1e9) };
}

const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-bench-"));
const pepper = "b".repeat(43);
const { app } = await compose({
  config: loadConfig({
    DATA_DIR: dataDir,
    USAGE_FLUSH_INTERVAL: "PT1S",
    RATE_LIMIT_PARTNER_MANAGEMENT: "100000000/1s",
    AUTH_FAILURES_PER_IP: "100000000/1m",
    AUTH_FAILURES_PER_KEY: "100000000/1m",
  }),
  store: await openSqliteStore(join(dataDir, "bench.sqlite")),
  logger: createLogger({ level: "silent" }),
  clock: systemClock,
  random: systemRandom,
  adminToken: "a".repeat(43),
  pepper,
  ca: await CertificateAuthority.ephemeral({ now: new Date(), random: systemRandom }),
});
await app.ready();
const operator = { authorization: `Bearer ${"a".repeat(43)}` };
const created = await app.inject({
  method: "POST",
  url: "/admin/v1/accounts",
  headers: operator,
  payload: { name: "Bench" },
});
const link = new URL((created.json() as { onboarding_url: string }).onboarding_url).pathname;
const claim = await app.inject({ method: "POST", url: link, headers: { accept: "application/json" } });
const apiKey = (claim.json() as { api_key: string }).api_key;
// Enough other credentials that lookups go through a real index.
for (let i = 0; i < 2000; i++) {
  await app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: { authorization: `Basic ${apiKey}` },
    payload: { type: i % 2 ? "API" : "CLIENT", environment: "TEST" },
  });
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

const baseline = await measure("baseline: one HMAC-SHA-256 of a key", () =>
  createHmac("sha256", pepper).update(apiKey).digest("base64url"),
);
const results = [
  baseline,
  await measure("HTTP GET /healthz (no auth; framework floor)", () =>
    app.inject({ method: "GET", url: "/healthz" }),
  ),
  await measure("HTTP GET /v1/account, valid key", get(apiKey)),
  await measure("HTTP GET /v1/account, unknown well-formed key", get(unknownKey)),
  await measure("HTTP GET /v1/account, right lookup id, wrong secret", get(wrongSecret)),
  await measure("HTTP GET /v1/account, disabled key", get(disabledBody.api_key)),
  await measure("HTTP GET /v1/account, wrong checksum (no store read)", get(badChecksum)),
];
process.stdout.write(`\nauthentication hot path, ${SECONDS} s per case, 2001 credentials stored\n`);
for (const r of results) {
  process.stdout.write(
    `${r.name.padEnd(56)} ${Math.round(r.perSecond).toString().padStart(9)} ops/s   ${(baseline.perSecond / r.perSecond).toFixed(1).padStart(6)}x baseline time\n`,
  );
}
await app.close();
rmSync(dataDir, { recursive: true, force: true });
