import { join, resolve } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Earlier } from "./config/setting.ts";
import type { SettingValues } from "./config/settings.ts";
import { ConfigError, loadConfig, partnerCliEnvironment } from "./config.ts";

const long = (char: string) => char.repeat(32);
const STRONG_TOKEN = "Zq3vK8pW1xR7mN2bT6yH4jL9cF5dS0gA";
const STRONG_PEPPER = "p7Gh2Kd9Lm4Qx8Rt1Vb6Nz3Wc5Ys0JaE";

function failure(env: Record<string, string>): unknown {
  try {
    loadConfig(env);
  } catch (error) {
    return error;
  }
  return undefined;
}

function failureWith(env: Record<string, string>, overrides: { port?: number } = {}): ConfigError {
  try {
    loadConfig(env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("has defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(resolve("./data"));
    expect(config.database).toEqual({
      kind: "sqlite",
      file: join(config.dataDir, "partner-credentials.sqlite"),
      synchronous: "FULL",
    });
    expect(config.brand).toBe("klarna");
    expect(config.publicUrl).toBe("http://127.0.0.1:8080");
    expect(config.onboardingLinkTtlMs).toBe(72 * 3_600_000);
    expect(config.usageFlushIntervalMs).toBe(5_000);
    expect(config.adminToken).toBeNull();
    expect(config.pepper).toBeNull();
    expect(config.pepperVersion).toBe(1);
    expect(config.previousPeppers.size).toBe(0);
    expect(config.logLevel).toBe("info");
  });

  it("reads the environment", () => {
    const config = loadConfig({
      HOST: "0.0.0.0",
      PORT: "9000",
      DATA_DIR: "/tmp/pc-data",
      BRAND: "acme2",
      PUBLIC_URL: "https://credentials.example.com/base",
      ADMIN_TOKEN: STRONG_TOKEN,
      PEPPER: STRONG_PEPPER,
      PEPPER_VERSION: "3",
      PREVIOUS_PEPPERS: `1:${long("a")},2:${long("b")}`,
      ONBOARDING_LINK_TTL: "P1D",
      USAGE_FLUSH_INTERVAL: "PT1M",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 9000,
      dataDir: "/tmp/pc-data",
      database: { kind: "sqlite", file: "/tmp/pc-data/partner-credentials.sqlite" },
      brand: "acme2",
      publicUrl: "https://credentials.example.com/base",
      adminToken: STRONG_TOKEN,
      pepper: STRONG_PEPPER,
      pepperVersion: 3,
      onboardingLinkTtlMs: 86_400_000,
      usageFlushIntervalMs: 60_000,
    });
    expect([...config.previousPeppers]).toEqual([
      [1, long("a")],
      [2, long("b")],
    ]);
  });

  it("lets overrides win over the environment", () => {
    const config = loadConfig(
      { HOST: "0.0.0.0", PORT: "9000", DATA_DIR: "/tmp/from-env" },
      { host: "127.0.0.2", port: 9100, dataDir: "/tmp/from-flag" },
    );
    expect(config.host).toBe("127.0.0.2");
    expect(config.port).toBe(9100);
    expect(config.dataDir).toBe("/tmp/from-flag");
    expect(config.publicUrl).toBe("http://127.0.0.2:9100");
  });

  it("brackets an IPv6 host in the default public URL", () => {
    expect(loadConfig({ HOST: "::1" }).publicUrl).toBe("http://[::1]:8080");
  });

  it("uses the file named by a sqlite DATABASE_URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://root@127.0.0.1:5432/test" }).database).toEqual({
      kind: "postgres",
      url: "postgres://root@127.0.0.1:5432/test",
    });
    expect(loadConfig({ DATABASE_URL: "sqlite:/tmp/x.db", SQLITE_SYNCHRONOUS: "normal" }).database).toEqual({
      kind: "sqlite",
      file: "/tmp/x.db",
      synchronous: "NORMAL",
    });
  });

  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["PORT", { PORT: "80.5" }],
    ["BRAND", { BRAND: "Bad_Brand" }],
    ["PUBLIC_URL", { PUBLIC_URL: "ftp://x" }],
    ["PUBLIC_URL", { PUBLIC_URL: "https://x/?q=1" }],
    ["ONBOARDING_LINK_TTL", { ONBOARDING_LINK_TTL: "72h" }],
    ["ONBOARDING_LINK_TTL", { ONBOARDING_LINK_TTL: "PT1S" }],
    ["USAGE_FLUSH_INTERVAL", { USAGE_FLUSH_INTERVAL: "P1M" }],
    ["ADMIN_TOKEN", { ADMIN_TOKEN: "t".repeat(31) }],
    ["ADMIN_TOKEN", { ADMIN_TOKEN: "a".repeat(32) }],
    ["ADMIN_TOKEN", { ADMIN_TOKEN: "abababababababababababababababab" }],
    ["PEPPER", { PEPPER: "p".repeat(64) }],
    ["OPERATOR_FAILURES_PER_IP", { OPERATOR_FAILURES_PER_IP: "lots" }],
    ["SQLITE_SYNCHRONOUS", { SQLITE_SYNCHRONOUS: "OFF" }],
    ["PEPPER", { PEPPER: "short" }],
    ["PEPPER_VERSION", { PEPPER_VERSION: "0" }],
    ["PEPPER_VERSION", { PEPPER_VERSION: "two" }],
    ["PREVIOUS_PEPPERS", { PREVIOUS_PEPPERS: long("a") }],
    ["PREVIOUS_PEPPERS", { PREVIOUS_PEPPERS: "1:short" }],
    ["PREVIOUS_PEPPERS", { PREVIOUS_PEPPERS: `x:${long("a")}` }],
    ["PREVIOUS_PEPPERS", { PREVIOUS_PEPPERS: `0:${long("a")}` }],
    ["PREVIOUS_PEPPERS", { PREVIOUS_PEPPERS: `1:${long("a")},` }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://x" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://localhost/db" }],
  ])("rejects a bad %s (%j)", (variable, env) => {
    const error = failure(env);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
  });

  it("reports every bad setting at once, not only the first", () => {
    const error = failure({
      PORT: "99999",
      REDIS_URL: "http://cache",
      ONBOARDING_LINK_TTL: "soon",
      MTLS_REQUIRED_FOR: "everyone",
      LOG_LEVEL: "info",
    }) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect([...error.problems].map((p) => p.split(" ")[0]).sort()).toEqual([
      "MTLS_REQUIRED_FOR",
      "ONBOARDING_LINK_TTL",
      "PORT",
      "REDIS_URL",
    ]);
    expect(error.message).toMatch(/^Invalid configuration \(4 settings\):\n {2}PORT must be a port number/);
  });

  it("reports a bad flag along with the bad variables", () => {
    const error = failureWith({ BRAND: "Acme" }, { port: 70_000 });
    expect(error.problems).toEqual([
      'PORT must be a port number from 0 to 65535 (got "70000")',
      "BRAND must be 1 to 20 lower-case letters or digits, starting with a letter",
    ]);
  });

  it("reports a bad RATE_LIMIT_<CATEGORY> once, and the settings after it", () => {
    const error = failureWith({ RATE_LIMIT_REPORTS: "lots", GATEWAY_PORT: "x" });
    expect(error.problems).toEqual([
      'RATE_LIMIT_REPORTS must be requests/window such as 50/1s, 1000/1m or 20000/1h (got "lots")',
      'GATEWAY_PORT must be a port number from 0 to 65535 (got "x")',
    ]);
  });

  it("checks a default derived from other settings, and what derives from it", () => {
    expect(failureWith({ HOST: "a b", DOCS_URL: "docs" }).problems).toEqual([
      'PUBLIC_URL must be an http(s) base URL without query (got "http://a b:8080")',
      'DOCS_URL must be an http(s) URL without query or fragment, or off (got "docs")',
    ]);
    expect(loadConfig({ PUBLIC_URL: "https://x.example/" }).docsUrl).toBe("https://x.example/guide");
  });

  it("reports broken rules between settings with the bad values, in the reference's order", () => {
    const error = failureWith({ TLS_KEY_FILE: "key.pem", INACTIVITY_DELETE_AFTER: "P1D", PORT: "x" });
    expect(error.problems.map((problem) => problem.split(" ")[0])).toEqual([
      "PORT",
      "INACTIVITY_DELETE_AFTER",
      "TLS_CERT_FILE",
    ]);
    expect(error.variable).toBe("PORT");
  });

  it("says what it got for a bad PEPPER_VERSION", () => {
    expect(failureWith({ PEPPER_VERSION: "0" }).message).toBe(
      'Invalid configuration: PEPPER_VERSION must be a positive integer (got "0")',
    );
  });

  it("reads every RATE_LIMIT_<CATEGORY> as a category, after the three that always exist", () => {
    const config = loadConfig({ RATE_LIMIT_ZED: "1/1s", RATE_LIMIT_ALPHA: "2/1m", RATE_LIMIT_API: "3/1h" });
    expect([...config.rateLimits]).toEqual([
      ["PARTNER_MANAGEMENT", { points: 50, windowSeconds: 1 }],
      ["CLIENT_SESSIONS", { points: 100, windowSeconds: 1 }],
      ["API", { points: 3, windowSeconds: 3600 }],
      ["ALPHA", { points: 2, windowSeconds: 60 }],
      ["ZED", { points: 1, windowSeconds: 1 }],
    ]);
  });

  it("derives defaults only from settings of the same types", () => {
    expectTypeOf<Pick<SettingValues, keyof Earlier>>().toEqualTypeOf<Earlier>();
  });

  it("rejects an out-of-range port override", () => {
    expect(() => loadConfig({}, { port: 70_000 })).toThrow(ConfigError);
  });

  it("returns a frozen object", () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe("partnerCliEnvironment", () => {
  it("reads the key and the URL, each optional", () => {
    expect(partnerCliEnvironment({})).toEqual({ apiKey: null, baseUrl: null });
    expect(partnerCliEnvironment({ PARTNER_API_KEY: " key ", PARTNER_API_URL: "https://x" })).toEqual({
      apiKey: "key",
      baseUrl: "https://x",
    });
  });
});
