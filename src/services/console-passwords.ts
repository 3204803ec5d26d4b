import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import argon2 from "argon2";
import { type PasswordStrength, passwordProblem } from "../domain/console-credentials.ts";
import { invalidParameter } from "../domain/errors.ts";
import type { Random } from "../domain/runtime.ts";

/** The breached-password list (49 233 entries), lower-cased, loaded once on first use. */
let breached: ReadonlySet<string> | null = null;

function isBreached(lowerCased: string): boolean {
  breached ??= new Set((dictionary["passwords-common"] as readonly string[]).map((p) => p.toLowerCase()));
  return breached.has(lowerCased);
}

/** zxcvbn's warnings (it answers keys, for the caller to translate), in the console's words. */
const WARNINGS: Readonly<Record<string, string>> = {
  straightRow: "a straight row of keys is easy to guess",
  keyPattern: "a short keyboard pattern is easy to guess",
  simpleRepeat: 'repeated characters like "aaa" are easy to guess',
  extendedRepeat: 'repeated patterns like "abcabcabc" are easy to guess',
  sequences: 'sequences like "abc" or "6543" are easy to guess',
  recentYears: "recent years are easy to guess",
  dates: "dates are easy to guess",
  topTen: "this is one of the most used passwords",
  topHundred: "this is a very often used password",
  common: "this is a commonly used password",
  similarToCommon: "this is similar to a commonly used password",
  wordByItself: "a single word is easy to guess",
  namesByThemselves: "names on their own are easy to guess",
  commonNames: "common names and surnames are easy to guess",
  userInputs: "it is made of your email address",
  pwned: "it appears in data breaches",
};

/** The strength estimator with the common dictionaries and keyboard layouts, built once on first use. */
let estimator: ZxcvbnFactory | null = null;

function strength(password: string, userInputs: readonly string[]): PasswordStrength {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  const { score, feedback } = estimator.check(password, [...userInputs]);
  const warning = feedback.warning ? (WARNINGS[feedback.warning] ?? null) : null;
  return { score, warning };
}

/**
 * Refuses a password that is too short or long, equal to the email, in the breached list, or too
 * easy to guess (a zxcvbn score under 3, the email counted as known to the guesser).
 */
export function assertUsablePassword(password: string, email: string): void {
  const problem = passwordProblem(password, { email, breached: isBreached, strength });
  if (problem !== null) throw invalidParameter("password", problem);
}

/** argon2id's memory cost by default, in KiB (the `argon2` library's default: 64 MiB). */
export const DEFAULT_PASSWORD_MEMORY_KIB = 65_536;

/**
 * argon2id, 3 passes over `memoryKib` KiB in 4 lanes (`CONSOLE_PASSWORD_MEMORY`), with a salt from
 * `random`. A hash keeps its parameters: changing the memory cost changes new hashes only.
 */
export function hashPassword(
  password: string,
  random: Random,
  memoryKib = DEFAULT_PASSWORD_MEMORY_KIB,
): Promise<string> {
  return argon2.hash(password, {
    type: argon2.argon2id,
    memoryCost: memoryKib,
    timeCost: 3,
    parallelism: 4,
    salt: Buffer.from(random.bytes(16)),
  });
}

/** Hashes of nothing anyone knows, per memory cost: checked against when the email is unknown, so timing tells nothing. */
const decoys = new Map<number, Promise<string>>();

/**
 * Whether `password` is the one hashed in `stored`. With no stored hash (an unknown email, a user
 * who never set one), a decoy made with the same memory cost is verified instead and the answer is
 * false.
 */
export async function verifyPassword(
  stored: string | null,
  password: string,
  random: Random,
  memoryKib = DEFAULT_PASSWORD_MEMORY_KIB,
): Promise<boolean> {
  if (stored === null) {
    let decoy = decoys.get(memoryKib);
    if (decoy === undefined) {
      decoy = hashPassword(Buffer.from(random.bytes(32)).toString("base64url"), random, memoryKib);
      decoys.set(memoryKib, decoy);
    }
    await argon2.verify(await decoy, password).catch(() => false);
    return false;
  }
  return argon2.verify(stored, password).catch(() => false);
}
