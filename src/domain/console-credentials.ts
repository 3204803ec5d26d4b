import type { Random } from "./runtime.ts";

/*
 * The pure rules of console sign-in: what an email and a password must be, and what a recovery
 * code looks like. The breached-password list and the strength estimate are the caller's
 * (functions), so nothing here reads.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** The least strength estimate accepted (zxcvbn's scale 0–4: 3 is "safely unguessable"). */
export const PASSWORD_MIN_SCORE = 3;

/** How guessable a password is: zxcvbn's score (0–4) and, when it has one, why in words. */
export interface PasswordStrength {
  score: number;
  warning: string | null;
}
const EMAIL_MAX_LENGTH = 254;
/** One `@`, no spaces, a dot in the domain: enough to catch typing mistakes, no more. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The email as stored and compared: trimmed, lower-cased; null when it is not an address. */
export function normalizeEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  if (email.length === 0 || email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) return null;
  return email;
}

/**
 * Why the password may not be used, in words for the person choosing it; null when it may.
 * Length is counted in characters (code points), as the person typing them sees it.
 */
export function passwordProblem(
  password: string,
  options: {
    email: string;
    breached: (candidate: string) => boolean;
    /** Estimates the strength, knowing the email (a password made of it is guessable). */
    strength: (candidate: string, userInputs: readonly string[]) => PasswordStrength;
  },
): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  if (password.trim().toLowerCase() === options.email.toLowerCase()) {
    return "must not be your email address";
  }
  if (options.breached(password.toLowerCase())) {
    return "appears in a list of passwords exposed in data breaches; choose another";
  }
  const email = options.email.toLowerCase();
  const { score, warning } = options.strength(password, [email, email.split("@")[0] ?? email]);
  if (score < PASSWORD_MIN_SCORE) {
    return `is too easy to guess${warning ? ` (${warning})` : ""}: use a few unrelated words, or a password manager's`;
  }
  return null;
}

/** Recovery codes: `xxxxx-xxxxx` from an alphabet without look-alikes (0/o, 1/l/i): 50 bits each. */
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_PATTERN = /^[a-hjkmnp-z2-9]{5}-?[a-hjkmnp-z2-9]{5}$/;

/** One new recovery code. */
export function newRecoveryCode(random: Random): string {
  const letters: string[] = [];
  while (letters.length < 10) {
    for (const byte of random.bytes(16)) {
      // Rejection sampling keeps every letter equally likely (31 letters: bytes under 248).
      if (byte < 248 && letters.length < 10) letters.push(RECOVERY_ALPHABET[byte % 31] ?? "");
    }
  }
  return `${letters.slice(0, 5).join("")}-${letters.slice(5).join("")}`;
}

/** The code as stored (hashed) and compared: lower-cased, the dash optional; null when it cannot be one. */
export function normalizeRecoveryCode(text: string): string | null {
  const code = text.trim().toLowerCase().replace(/\s+/g, "");
  if (!RECOVERY_PATTERN.test(code)) return null;
  const bare = code.replace("-", "");
  return `${bare.slice(0, 5)}-${bare.slice(5)}`;
}

/** A TOTP code as typed: six digits, spaces allowed between them. Null when it is not one. */
export function normalizeTotpCode(text: string): string | null {
  const code = text.replace(/\s+/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}
