import type { Command } from "commander";
import { AdminClient } from "../client/admin-client.ts";
import { loadConfigFromEnvironment } from "../config.ts";
import { readSecretFile } from "../secret-files.ts";

export interface ConnectionOptions {
  url?: string;
  dataDir?: string;
}

/** `--url` and `--data-dir`, shared by every `partnerctl admin` command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--url <url>", "internal listener's URL (default: http://INTERNAL_HOST:INTERNAL_PORT)")
    .option("--data-dir <dir>", "where to find admin-token when ADMIN_TOKEN is unset");
}

/** The admin client for the server named by flags or environment, with the operator token. */
export function adminClient(options: ConnectionOptions): AdminClient {
  const config = loadConfigFromEnvironment({ dataDir: options.dataDir });
  const token = config.adminToken ?? readSecretFile(config.dataDir, "admin-token");
  if (!token) {
    throw new Error(
      `No operator token: set ADMIN_TOKEN or run the server once to create ${config.dataDir}/admin-token`,
    );
  }
  const { host, port } = config.internal;
  const baseUrl = options.url ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return new AdminClient({ baseUrl, token });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Rows under a header, columns padded to their widest cell. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
}
