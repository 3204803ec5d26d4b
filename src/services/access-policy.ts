import { type IpVerdict, ipVerdict } from "../domain/addresses-seen.ts";
import { AppError } from "../domain/errors.ts";
import { allowListMatcher } from "../domain/ip-allow-list.ts";
import { type MtlsStatus, mtlsRequired } from "../domain/mtls-policy.ts";
import type { Account } from "../domain/types.ts";
import type { CertificateAuthority } from "./certificate-authority.ts";
import type { ServiceRuntime } from "./runtime.ts";

export interface AccessDecision {
  /** Reported once the account has a client certificate. */
  mtlsStatus: MtlsStatus | null;
  /** Reported in REPORTING mode only. */
  ipStatus: "ALLOWED" | "DENIED" | null;
  /** What the allow-list in force (REPORTING or ENFORCED) says of the address, reported or not. */
  ipVerdict: IpVerdict;
  denial: AppError | null;
}

/**
 * What an account requires beyond a valid key: a valid client certificate once mTLS is
 * enforced, and an allowed source IP once its allow-list is enforced.
 */
export class AccessPolicy {
  readonly #runtime: ServiceRuntime;
  readonly #ca: CertificateAuthority;

  constructor(runtime: ServiceRuntime, ca: CertificateAuthority) {
    this.#runtime = runtime;
    this.#ca = ca;
  }

  /** VALID only for a certificate we issued, in its validity, not revoked, of this account. */
  async mtlsStatus(account: Account, presented: Buffer | string | null): Promise<MtlsStatus> {
    if (presented === null) return "NOT_PRESENT";
    const inspected = this.#ca.inspect(presented);
    if (!inspected?.issuedByUs) return "INVALID";
    const now = this.#runtime.clock.now().getTime();
    if (now < inspected.notBefore.getTime() || now > inspected.notAfter.getTime()) return "INVALID";
    const issued = await this.#runtime.store.findClientCertificateByFingerprint(inspected.fingerprintSha256);
    if (!issued || issued.revokedAt !== null || issued.accountId !== account.accountId) return "INVALID";
    return "VALID";
  }

  async evaluate(input: {
    account: Account;
    sourceIp: string;
    presentedCertificate: Buffer | string | null;
  }): Promise<AccessDecision> {
    return (
      this.evaluateWithoutCertificate(input) ??
      this.#decide(input, await this.mtlsStatus(input.account, input.presentedCertificate))
    );
  }

  /**
   * The same decision when it needs no certificate lookup (the account has no mTLS set up), without
   * a promise: the hot path of accounts that use neither mTLS nor anything that needs I/O. Null when
   * the certificate must be looked up (then `evaluate`).
   */
  evaluateWithoutCertificate(input: { account: Account; sourceIp: string }): AccessDecision | null {
    const { security } = input.account;
    if (security.mtlsEnabled || security.mtlsEnforcedFrom !== null) return null;
    if (security.ipRestriction.mode === "NOT_ENABLED") return NO_RESTRICTION;
    return this.#decide(input, null);
  }

  #decide(input: { account: Account; sourceIp: string }, mtlsStatus: MtlsStatus | null): AccessDecision {
    const { security } = input.account;
    const { mode, allowedIps } = security.ipRestriction;
    const ipAllowed = mode === "NOT_ENABLED" || allowListMatcher(allowedIps)(input.sourceIp);
    const verdict = ipVerdict(mode, ipAllowed);
    const ipStatus = mode === "REPORTING" ? verdict : null;
    const enforced = security.mtlsEnforcedFrom;
    let denial: AppError | null = null;
    if (
      enforced !== null &&
      enforced.getTime() <= this.#runtime.clock.now().getTime() &&
      mtlsStatus !== "VALID"
    ) {
      denial = mtlsRequired();
    } else if (mode === "ENFORCED" && !ipAllowed) {
      denial = new AppError(
        "IP_NOT_ALLOWED",
        "Requests from this IP address are not allowed for this account",
      );
    }
    return { mtlsStatus, ipStatus, ipVerdict: verdict, denial };
  }
}

/** No mTLS, no IP allow-list: nothing to report, nothing refused. */
const NO_RESTRICTION: AccessDecision = Object.freeze({
  mtlsStatus: null,
  ipStatus: null,
  ipVerdict: null,
  denial: null,
});
