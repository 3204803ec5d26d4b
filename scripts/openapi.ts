import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compose } from "../src/compose.ts";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { CertificateAuthority } from "../src/services/certificate-authority.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "../src/system.ts";

/** The OpenAPI documents generated from the route schemas, as committed: the partners' and the internal listener's. */
export async function generateOpenApi(): Promise<{ partner: string; internal: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-openapi-"));
  try {
    const { app, internal } = await compose({
      config: loadConfig({ DATA_DIR: dataDir }),
      store: await openSqliteStore(":memory:"),
      logger: createLogger({ level: "silent" }),
      clock: systemClock,
      random: systemRandom,
      adminToken: "x".repeat(32),
      pepper: "x".repeat(32),
      ca: await CertificateAuthority.ephemeral({ now: new Date(), random: systemRandom }),
    });
    await Promise.all([app.ready(), internal.ready()]);
    const documents = {
      partner: `${JSON.stringify(app.swagger(), null, 2)}\n`,
      internal: `${JSON.stringify(internal.swagger(), null, 2)}\n`,
    };
    await app.close();
    return documents;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
