import { AppError } from "./errors.ts";

/** Keyset position: the sort key of the last item of a page, opaque to clients. */
export interface PagePosition {
  at: string;
  id: string;
}

/** Positions compare as text in the store, so only the exact form `toISOString()` writes is accepted. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Ids are UUIDs or account ids: printable ASCII only (no NUL, which PostgreSQL text refuses). */
const ID = /^[\x21-\x7e]{1,128}$/;

export function encodePageToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString("base64url");
}

export function decodePageToken(token: string): PagePosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string" &&
      ISO_INSTANT.test(parsed[0]) &&
      ID.test(parsed[1]) &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the contract error below
  }
  throw new AppError("VALIDATION_ERROR", "Invalid page_token", [
    { parameter: "page_token", message: "is not a token returned by this API" },
  ]);
}
