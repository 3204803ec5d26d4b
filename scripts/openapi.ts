import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApps } from "../src/apps.ts";
import { buildServices } from "../src/compose.ts";
import { loadConfig } from "../src/config.ts";
import { pepperRing } from "../src/domain/secret-hash.ts";
import { createLogger } from "../src/logger.ts";
import { CertificateAuthority } from "../src/services/certificate-authority.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "../src/system.ts";

/** The OpenAPI documents generated from the route schemas, as committed: the partners' and the internal listener's. */
export async function generateOpenApi(): Promise<{ partner: string; internal: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-openapi-"));
  try {
    const config = loadConfig({ DATA_DIR: dataDir });
    const services = await buildServices(config, {
      store: await openSqliteStore(":memory:"),
      logger: createLogger({ level: "silent" }),
      clock: systemClock,
      random: systemRandom,
      keys: {
        peppers: pepperRing({ version: 1, secret: "x".repeat(32) }, new Map()),
        ca: await CertificateAuthority.ephemeral({ now: new Date(), random: systemRandom }),
      },
    });
    // Built, never started: no job runs and nothing listens while the documents are read.
    const { app, internal } = await buildApps(services, {
      adminToken: "x".repeat(32),
      sessionSecret: "x".repeat(32),
    });
    await Promise.all([app.ready(), internal.ready()]);
    const documents = {
      partner: `${JSON.stringify(app.swagger(), null, 2)}\n`,
      internal: `${JSON.stringify(internal.swagger(), null, 2)}\n`,
    };
    await Promise.all([app.close(), internal.close()]);
    await services.close();
    return documents;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
