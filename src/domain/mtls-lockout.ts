/**
 * The rules that keep an account's mTLS enforcement from locking its partner out by accident, and
 * the words its audit events use.
 */

export type MtlsEnforcementStatus = "NOT_ENFORCED" | "SCHEDULED" | "ENFORCED";

/** Where an account's enforcement stands at `now`: not set, set for later, or in force. */
export function mtlsEnforcementStatus(enforcedFrom: Date | null, now: Date): MtlsEnforcementStatus {
  if (enforcedFrom === null) return "NOT_ENFORCED";
  return enforcedFrom.getTime() <= now.getTime() ? "ENFORCED" : "SCHEDULED";
}

/** A certificate requests can present at `at`: not revoked and within its validity. */
export function certificateUsable(
  certificate: { revokedAt: Date | null; notBefore: Date; notAfter: Date },
  at: Date,
): boolean {
  return (
    certificate.revokedAt === null &&
    certificate.notBefore.getTime() <= at.getTime() &&
    certificate.notAfter.getTime() > at.getTime()
  );
}

/**
 * Whether revoking a certificate would leave an account that enforces mTLS (now, or from a
 * scheduled time) without any certificate its requests could present: the revoked one is usable
 * and no other usable one remains. Revoking an expired certificate never changes that.
 */
export function revocationLocksOut(input: {
  mtlsEnforcedFrom: Date | null;
  revokedIsUsable: boolean;
  otherUsable: number;
}): boolean {
  return input.mtlsEnforcedFrom !== null && input.revokedIsUsable && input.otherUsable === 0;
}

/** Why a revocation that locks the account out was made anyway: its audit event's reason. */
export const FORCED_LOCKOUT_REASON =
  "FORCED: the last valid client certificate, while mTLS is enforced or scheduled";

/** The audit event's words for enforcement from `enforcedFrom`, as seen at `now`. */
export function enforcementAuditStatus(
  enforcedFrom: Date,
  now: Date,
): { status: "ENFORCED" | "SCHEDULED"; reason: string } {
  const at = enforcedFrom.toISOString();
  return enforcedFrom.getTime() <= now.getTime()
    ? { status: "ENFORCED", reason: `enforced from ${at}` }
    : { status: "SCHEDULED", reason: `scheduled from ${at}` };
}
