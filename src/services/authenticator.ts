import { callerSuspended } from "../domain/account-suspension.ts";
import { parseKey } from "../domain/key-format.ts";
import { keyDigest, type PepperRing, verifySecret } from "../domain/secret-hash.ts";
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

/** Keys already verified (by digest): the stored hash each matched, and the entries to judge it by. */
export interface VerifiedKeys {
  verifiedKey(digest: string): { credential: Credential; account: Account } | undefined;
  matched(digest: string, lookupId: string, secretHash: string): boolean;
  rememberVerified(digest: string, key: { lookupId: string; secretHash: string; accountId: string }): void;
}

/**
 * Verifies a presented API key: a tagged result, never an exception. Malformed keys and bad
 * checksums are rejected before any store read; unknown and known keys cost one HMAC each, except
 * a key already verified against the same stored hash (`verified`, one SHA-256): its credential
 * and account are still judged, as cached or read again.
 */
export class Authenticator {
  readonly #runtime: ServiceRuntime;
  readonly #brand: string;
  readonly #peppers: PepperRing;
  readonly #verified: VerifiedKeys | null;

  constructor(
    runtime: ServiceRuntime,
    options: { brand: string; peppers: PepperRing; verified?: VerifiedKeys | null },
  ) {
    this.#runtime = runtime;
    this.#brand = options.brand;
    this.#peppers = options.peppers;
    this.#verified = options.verified ?? null;
  }

  /** Whether the key is genuine and usable; recording its use is left to whoever admits the request. */
  async authenticate(presented: string): Promise<AuthResult> {
    const verified = this.#verified;
    const digest = verified ? keyDigest(presented) : "";
    const known = verified?.verifiedKey(digest);
    if (known) return this.#judge(known.credential, () => known.account);
    const parsed = parseKey(this.#brand, presented);
    if (!parsed) return { result: "MALFORMED" };
    if (parsed.type !== "API") return { result: "NOT_AN_API_KEY" };
    const { store } = this.#runtime;
    const found = await store.findCredentialByLookupId(parsed.lookupId);
    const stored = found?.secret ?? null;
    const genuine =
      (stored !== null && verified?.matched(digest, parsed.lookupId, stored.hash)) ||
      verifySecret(this.#peppers, parsed.key, stored);
    if (!genuine || !found || stored === null) {
      return found ? { result: "WRONG_SECRET", credential: found.credential } : { result: "UNKNOWN" };
    }
    verified?.rememberVerified(digest, {
      lookupId: parsed.lookupId,
      secretHash: stored.hash,
      accountId: found.credential.accountId,
    });
    return this.#judge(found.credential, () => store.findAccount(found.credential.accountId));
  }

  /** The verdict on a genuine key: its credential's status and expiry, then its account's. */
  async #judge(
    credential: Credential,
    accountOf: () => Account | null | Promise<Account | null>,
  ): Promise<AuthResult> {
    if (credential.status === "DELETED") return { result: "DELETED", credential };
    if (credential.status !== "ACTIVE") return { result: "DISABLED", credential };
    const now = this.#runtime.clock.now();
    // A rotated-out credential is refused from the end of its overlap, even before a sweep marks it.
    if (credential.expiresAt !== null && credential.expiresAt.getTime() <= now.getTime()) {
      return { result: "EXPIRED", credential };
    }
    const account = await accountOf();
    if (!account) return { result: "UNKNOWN" };
    if (callerSuspended(account)) return { result: "SUSPENDED", credential };
    return { result: "VALID", account, credential };
  }
}
