import { dictionary } from "@zxcvbn-ts/language-common";
import argon2 from "argon2";
import { passwordProblem } from "../domain/console-credentials.ts";
import { invalidParameter } from "../domain/errors.ts";
import type { Random } from "../domain/runtime.ts";

/** The breached-password list (49 233 entries), lower-cased, loaded once on first use. */
let breached: ReadonlySet<string> | null = null;

function isBreached(lowerCased: string): boolean {
  breached ??= new Set((dictionary["passwords-common"] as readonly string[]).map((p) => p.toLowerCase()));
  return breached.has(lowerCased);
}

/** Refuses a password that is too short or long, equal to the email, or in the breached list. */
export function assertUsablePassword(password: string, email: string): void {
  const problem = passwordProblem(password, { email, breached: isBreached });
  if (problem !== null) throw invalidParameter("password", problem);
}

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes) and a salt from `random`. */
export function hashPassword(password: string, random: Random): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, salt: Buffer.from(random.bytes(16)) });
}

/** A hash of nothing anyone knows: checked against when the email is unknown, so timing tells nothing. */
let decoy: Promise<string> | null = null;

/**
 * Whether `password` is the one hashed in `stored`. With no stored hash (an unknown email, a user
 * who never set one), a decoy is verified instead and the answer is false.
 */
export async function verifyPassword(
  stored: string | null,
  password: string,
  random: Random,
): Promise<boolean> {
  if (stored === null) {
    decoy ??= hashPassword(Buffer.from(random.bytes(32)).toString("base64url"), random);
    await argon2.verify(await decoy, password).catch(() => false);
    return false;
  }
  return argon2.verify(stored, password).catch(() => false);
}
