import { generateKeyPairSync } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.ts";

export interface LoadedIdentityKey {
  /** Ed25519 private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** Set when the key was generated just now: where it was written. */
  createdFile: string | null;
}

/**
 * The key that signs identity tokens: `IDENTITY_KEY_FILE`, or `<dataDir>/identity-key.pem`
 * generated (mode 0600) on first start unless `create` is false (a gateway or verifier must sign
 * with the key the server publishes). Instances that share upstreams must share the key.
 */
export function loadOrCreateIdentityKey(
  config: Config,
  options: { create: boolean } = { create: true },
): LoadedIdentityKey {
  if (config.identityKeyFile !== null) {
    return { privateKeyPem: readFileSync(config.identityKeyFile, "utf8"), createdFile: null };
  }
  const file = join(config.dataDir, "identity-key.pem");
  try {
    return { privateKeyPem: readFileSync(file, "utf8"), createdFile: null };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!options.create) {
    throw new Error(
      `No identity key in ${config.dataDir}: use the server's DATA_DIR, or set IDENTITY_KEY_FILE (upstreams trust only the key the server publishes)`,
    );
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, privateKeyPem, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process sharing DATA_DIR wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return { privateKeyPem: readFileSync(file, "utf8"), createdFile: null };
    }
    throw error;
  }
  chmodSync(file, 0o600);
  return { privateKeyPem, createdFile: file };
}
