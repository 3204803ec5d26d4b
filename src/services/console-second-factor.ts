import { createHash } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import {
  newRecoveryCode,
  normalizeRecoveryCode,
  normalizeTotpCode,
  RECOVERY_CODE_COUNT,
} from "../domain/console-credentials.ts";
import type { Random } from "../domain/runtime.ts";

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
/** Codes of the step before and after the current one are accepted too (clock drift). */
const WINDOW = 1;

/** A new TOTP secret (160 bits, base32) and the `otpauth://` URI an authenticator app scans. */
export function newTotpSecret(
  random: Random,
  label: { issuer: string; email: string },
): {
  secret: string;
  otpauthUri: string;
} {
  const secret = new Secret({ buffer: Uint8Array.from(random.bytes(20)).buffer }).base32;
  return totpOffer(secret, label);
}

/** A secret with the `otpauth://` URI an authenticator app scans. */
export function totpOffer(
  secret: string,
  label: { issuer: string; email: string },
): { secret: string; otpauthUri: string } {
  return { secret, otpauthUri: totp(secret, label).toString() };
}

function totp(secret: string, label: { issuer: string; email: string } = { issuer: "", email: "" }): TOTP {
  return new TOTP({
    issuer: label.issuer,
    label: label.email,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** The time step a TOTP code belongs to when it is valid at `now` (within ±1 step), else null. */
export function totpStep(secret: string, code: string, now: Date): number | null {
  const token = normalizeTotpCode(code);
  if (token === null) return null;
  const timestamp = now.getTime();
  const delta = totp(secret).validate({ token, timestamp, window: WINDOW });
  if (delta === null) return null;
  return TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
}

/** A user's recovery code as stored: the SHA-256 of the user id and the normalised code. */
export function recoveryCodeHash(userId: string, code: string): string | null {
  const normalized = normalizeRecoveryCode(code);
  if (normalized === null) return null;
  return createHash("sha256").update(`${userId}:${normalized}`).digest("hex");
}

/** Ten new recovery codes and what is stored of them. */
export function newRecoveryCodes(random: Random, userId: string): { codes: string[]; hashes: string[] } {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode(random));
  const list = [...codes];
  return { codes: list, hashes: list.map((code) => recoveryCodeHash(userId, code) ?? "") };
}
