import { readFileSync, type Stats, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { ConfigError } from "./config.ts";
import { parseSigningKeys, type SigningKeys } from "./domain/leak-report.ts";
import type { SigningKeySource } from "./services/leak-reports.ts";

const NO_KEYS: SigningKeys = new Map();

/** What identifies one version of the file: replaced (new inode), rewritten (times, size). */
function versionOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

function read(file: string): SigningKeys {
  return parseSigningKeys(JSON.parse(readFileSync(file, "utf8")));
}

/**
 * `SECRET_SCANNING_KEYS_FILE`: GitHub's published signing keys, read at start (a file that cannot be
 * read stops the start) and read again whenever it has changed since, checked at each report (one
 * `stat`), so a key GitHub adds is used without a restart. A changed file that cannot be read (a
 * half-written one, say) leaves the keys read last in use, and is tried again at the next report.
 */
export class SecretScanningKeysFile implements SigningKeySource {
  readonly #file: string;
  readonly #onReloadError: (error: Error) => void;
  #version: string;
  #keys: SigningKeys;

  constructor(file: string, options: { onReloadError: (error: Error) => void }) {
    this.#file = file;
    this.#onReloadError = options.onReloadError;
    try {
      this.#version = versionOf(statSync(file));
      this.#keys = read(file);
    } catch (error) {
      throw new ConfigError("SECRET_SCANNING_KEYS_FILE", `cannot be read (${(error as Error).message})`);
    }
  }

  async keys(): Promise<SigningKeys> {
    let version: string;
    try {
      version = versionOf(await stat(this.#file));
    } catch (error) {
      this.#onReloadError(error as Error);
      return this.#keys;
    }
    if (version === this.#version) return this.#keys;
    try {
      this.#keys = read(this.#file);
      this.#version = version;
    } catch (error) {
      this.#onReloadError(error as Error);
    }
    return this.#keys;
  }
}

/** Without `SECRET_SCANNING_KEYS_FILE`: no key, so every signed report is refused. */
export const noSigningKeys: SigningKeySource = { keys: async () => NO_KEYS };
