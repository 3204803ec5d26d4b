import { resolve } from "node:path";
import { parseIsoDuration } from "../domain/duration.ts";
import { AppError } from "../domain/errors.ts";
import { parseAllowedIps } from "../domain/ip-allow-list.ts";
import { parseRateLimit, type RateLimit } from "../domain/rate-limit.ts";

/** A setting's text read into its value, or what is wrong with the text (worded to follow its name). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

/** Reads a setting's text: trimmed and never empty, unless a command-line flag gave it. */
export type Parser<T> = (raw: string) => Parsed<T>;

const valid = <T>(value: T): Parsed<T> => ({ ok: true, value });
const invalid = (problem: string): Parsed<never> => ({ ok: false, problem });

/** Any text, as given. */
export const text: Parser<string> = valid;

/** A path, resolved against the working directory. */
export const file: Parser<string> = (raw) => valid(resolve(raw));

export const port: Parser<number> = (raw) => {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 && value <= 65_535
    ? valid(value)
    : invalid(`must be a port number from 0 to 65535 (got "${raw}")`);
};

/** A port, or `off` (null) for no listener. */
export const portOrOff: Parser<number | null> = (raw) => (raw === "off" ? valid(null) : port(raw));

export const positiveInteger: Parser<number> = (raw) => {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1
    ? valid(value)
    : invalid(`must be a positive integer (got "${raw}")`);
};

/** An integer of at least `minimum` (`unit` names it in the problem). */
export function integerAtLeast(minimum: number, unit: string): Parser<number> {
  return (raw) => {
    const value = Number(raw);
    return Number.isInteger(value) && value >= minimum
      ? valid(value)
      : invalid(`must be an integer of at least ${minimum} ${unit} (got "${raw}")`);
  };
}

/** An ISO 8601 duration (`PT72H`, `P60D`…) of at least `minimumMs`, in milliseconds. */
export function duration(minimumMs: number): Parser<number> {
  return (raw) => {
    const ms = parseIsoDuration(raw);
    return ms !== null && ms >= minimumMs
      ? valid(ms)
      : invalid(`must be an ISO 8601 duration of at least ${minimumMs} ms, such as PT72H (got "${raw}")`);
  };
}

/** `requests/window`, such as `50/1s`. */
export const rateLimit: Parser<RateLimit> = (raw) => {
  const parsed = parseRateLimit(raw);
  return parsed
    ? valid(parsed)
    : invalid(`must be requests/window such as 50/1s, 1000/1m or 20000/1h (got "${raw}")`);
};

/** Text matching a pattern; the problem may quote the text. */
export function matching(pattern: RegExp, problem: string | ((raw: string) => string)): Parser<string> {
  return (raw) =>
    pattern.test(raw) ? valid(raw) : invalid(typeof problem === "string" ? problem : problem(raw));
}

/** One of a few words, compared after `normalize` (e.g. upper-casing). */
export function oneOf<const T extends string>(
  words: readonly T[],
  options: { problem: string; normalize?: (raw: string) => string },
): Parser<T> {
  return (raw) => {
    const word = options.normalize ? options.normalize(raw) : raw;
    return (words as readonly string[]).includes(word) ? valid(word as T) : invalid(options.problem);
  };
}

/** A generated-looking secret: 32 characters or more, 12 of them different. */
export const secret: Parser<string> = (raw) => {
  if (raw.length < 32) return invalid("must be at least 32 characters long");
  // 32 × "a" is long but guessable: ask for what a generator produces.
  if (new Set(raw).size < 12) {
    return invalid("is too weak: use at least 12 different characters, e.g. `openssl rand -base64 32`");
  }
  return valid(raw);
};

/** `VERSION:SECRET,…`: earlier peppers by version. */
export const versionedSecrets: Parser<ReadonlyMap<number, string>> = (raw) => {
  const secrets = new Map<number, string>();
  for (const entry of raw.split(",")) {
    const separator = entry.indexOf(":");
    const version = Number(entry.slice(0, separator));
    const value = entry.slice(separator + 1);
    if (separator < 1 || !Number.isInteger(version) || version < 1 || value.length < 32) {
      return invalid("must be a comma-separated list of VERSION:SECRET (secret ≥ 32 characters)");
    }
    secrets.set(version, value);
  }
  return valid(secrets);
};

/** Where the data lives: PostgreSQL, or an SQLite file. */
export type DatabaseLocation =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string };

export const databaseUrl: Parser<DatabaseLocation> = (raw) => {
  if (raw.startsWith("sqlite:")) {
    return valid({ kind: "sqlite", file: resolve(raw.slice("sqlite:".length).replace(/^\/\//, "")) });
  }
  if (/^postgres(ql)?:\/\/\S+$/.test(raw)) return valid({ kind: "postgres", url: raw });
  return invalid("must be postgres://… or sqlite:PATH (or unset for the embedded default)");
};

/** An http(s) URL without query or fragment, or `off` (null). */
export const urlOrOff: Parser<string | null> = (raw) => {
  if (raw === "off") return valid(null);
  return /^https?:\/\/[^\s?#]+$/.test(raw)
    ? valid(raw)
    : invalid(`must be an http(s) URL without query or fragment, or off (got "${raw}")`);
};

/** A header name, lower-cased. */
export const headerName: Parser<string> = (raw) => {
  const name = raw.toLowerCase();
  return /^[a-z0-9-]{1,64}$/.test(name) ? valid(name) : invalid("must be a header name");
};

/** Comma-separated IP addresses and CIDRs, normalised. */
export const addresses: Parser<readonly string[]> = (raw) => {
  try {
    return valid(
      parseAllowedIps(
        raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    );
  } catch (error) {
    const issue = error instanceof AppError ? error.validationErrors?.[0]?.message : undefined;
    return invalid(`must be a comma-separated list of IP addresses or CIDRs (${issue ?? "invalid"})`);
  }
};
