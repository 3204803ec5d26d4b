import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** Suites that drive the service through the harness: they run again on PostgreSQL when it is there. */
const STORE_NEUTRAL_SUITES = [
  "onboarding",
  "credentials-api",
  "partner-accounts",
  "bad-input",
  "idempotency",
  "audit",
  "secrets-at-rest",
  "lifecycle",
  "ip-restriction",
  "web-sdk",
  "rate-limits",
  "end-to-end",
  "lifecycle-cli",
  "mtls",
  "forward-auth",
  "fuzz",
  "environments",
  "slow-clients",
  "permissions",
  "audit-chain",
  "operator-recovery",
  "operator-recovery-cli",
  "webhooks",
  "leaked-keys",
].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    pool: "forks",
    // Vitest's default leaves one core free, which on a 2-core machine is a single worker: the
    // suites spend much of their time waiting on child processes and sockets, so use two at least.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // `partnerctl` runs the compiled JavaScript: build it before any test starts one.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      { extends: true, test: { name: "sqlite", include: ["src/**/*.test.ts", "test/**/*.test.ts"] } },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres+redis",
                include: STORE_NEUTRAL_SUITES,
                env: {
                  TEST_STORE: "postgres",
                  ...(process.env.TEST_REDIS_URL ? { TEST_SHARED: "redis" } : {}),
                },
              },
            },
          ]
        : []),
    ],
  },
});
