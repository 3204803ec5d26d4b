import { parseKey } from "../domain/key-format.ts";
import { type PepperRing, verifySecret } from "../domain/secret-hash.ts";
import type { Account, Credential } from "../domain/types.ts";
import type { ServiceRuntime } from "./runtime.ts";

export type AuthResult =
  | { result: "VALID"; account: Account; credential: Credential }
  | { result: "MALFORMED" | "UNKNOWN" | "NOT_AN_API_KEY" }
  /**
   * A real credential was named but refused: its owner may want to know. SUSPENDED: its account is
   * suspended by an operator (the key itself is untouched and works again on resume).
   */
  | {
      result: "WRONG_SECRET" | "DISABLED" | "DELETED" | "EXPIRED" | "SUSPENDED";
      credential: Credential;
    };

/**
 * Verifies a presented API key: a tagged result, never an exception. Malformed keys and bad
 * checksums are rejected before any store read; unknown and known keys cost one HMAC each.
 */
export class Authenticator {
  readonly #runtime: ServiceRuntime;
  readonly #brand: string;
  readonly #peppers: PepperRing;

  constructor(runtime: ServiceRuntime, options: { brand: string; peppers: PepperRing }) {
    this.#runtime = runtime;
    this.#brand = options.brand;
    this.#peppers = options.peppers;
  }

  /** Whether the key is genuine and usable; recording its use is left to whoever admits the request. */
  async authenticate(presented: string): Promise<AuthResult> {
    const parsed = parseKey(this.#brand, presented);
    if (!parsed) return { result: "MALFORMED" };
    if (parsed.type !== "API") return { result: "NOT_AN_API_KEY" };
    const found = await this.#runtime.store.findCredentialByLookupId(parsed.lookupId);
    if (!verifySecret(this.#peppers, parsed.key, found?.secret ?? null) || !found) {
      return found ? { result: "WRONG_SECRET", credential: found.credential } : { result: "UNKNOWN" };
    }
    const { credential } = found;
    if (credential.status === "DELETED") return { result: "DELETED", credential };
    if (credential.status !== "ACTIVE") return { result: "DISABLED", credential };
    const now = this.#runtime.clock.now();
    // A rotated-out credential is refused from the end of its overlap, even before a sweep marks it.
    if (credential.expiresAt !== null && credential.expiresAt.getTime() <= now.getTime()) {
      return { result: "EXPIRED", credential };
    }
    const account = await this.#runtime.store.findAccount(credential.accountId);
    if (!account) return { result: "UNKNOWN" };
    if (account.suspension !== null) return { result: "SUSPENDED", credential };
    return { result: "VALID", account, credential };
  }
}
