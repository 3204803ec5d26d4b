import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The root of the keys `serve` signs its own tokens with (browser sessions), apart from the pepper
 * so that rotating the pepper never ends a session: `SESSION_SECRET`, or this file in DATA_DIR.
 */
export const SESSION_SECRET_FILE = "session-secret";

export interface ResolvedSecret {
  value: string;
  /** Set when the secret was generated just now: where it was written (never the value). */
  createdFile: string | null;
}

/**
 * A secret given in the environment wins; otherwise it lives in `<dataDir>/<name>` (mode 0600),
 * generated on first use. Only the file's path is ever printed, never its content.
 */
export function resolveSecret(dataDir: string, name: string, given: string | null): ResolvedSecret {
  if (given !== null) return { value: given, createdFile: null };
  const file = join(dataDir, name);
  try {
    const value = readFileSync(file, "utf8").trim();
    if (value.length >= 32) return { value, createdFile: null };
    throw new Error(`${file} holds fewer than 32 characters; delete it or set the variable`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString("base64url");
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { value, createdFile: file };
}

/** Reads a secret file written by `resolveSecret`, without creating one. */
export function readSecretFile(dataDir: string, name: string): string | null {
  try {
    return readFileSync(join(dataDir, name), "utf8").trim() || null;
  } catch {
    return null;
  }
}
