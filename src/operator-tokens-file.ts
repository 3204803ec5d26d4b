import { readFileSync } from "node:fs";
import { ConfigError } from "./config.ts";

/** An operator who signs in with a token of their own; only its SHA-256 is kept. */
export interface NamedOperator {
  name: string;
  /** SHA-256 of the token, hex. */
  tokenSha256: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * `ADMIN_TOKENS_FILE`: `{"operators": [{"name": "alice", "token_sha256": "<hex>"}]}`. Each operator's
 * name is the actor of their audit events (`operator:alice`). `partnerctl admin operators new`
 * makes a token and its entry.
 */
export function loadOperatorTokens(file: string | null): NamedOperator[] {
  if (file === null) return [];
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError("ADMIN_TOKENS_FILE", `cannot be read as JSON (${(error as Error).message})`);
  }
  const list = (document as { operators?: unknown } | null)?.operators;
  if (!Array.isArray(list)) throw new ConfigError("ADMIN_TOKENS_FILE", 'must hold {"operators": [ … ]}');
  const names = new Set<string>();
  return list.map((entry, index) => {
    const { name, token_sha256: digest } = (entry ?? {}) as { name?: unknown; token_sha256?: unknown };
    if (typeof name !== "string" || !NAME.test(name) || names.has(name)) {
      throw new ConfigError(
        "ADMIN_TOKENS_FILE",
        `operators[${index}].name must be a unique name of a-z 0-9 . _ -`,
      );
    }
    if (typeof digest !== "string" || !SHA256_HEX.test(digest)) {
      throw new ConfigError("ADMIN_TOKENS_FILE", `operators[${index}].token_sha256 must be 64 hex digits`);
    }
    names.add(name);
    return { name, tokenSha256: digest };
  });
}
