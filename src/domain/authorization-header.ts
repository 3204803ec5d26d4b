const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_LENGTH = 1024;

/** What an Authorization header presents: the API key and, optionally, the key's credential id. */
export interface PresentedKey {
  apiKey: string;
  /** The "username" of the username/password form; null when absent or empty. */
  username: string | null;
}

function split(pair: string): PresentedKey | null {
  const separator = pair.indexOf(":");
  if (separator < 0) return null;
  const apiKey = pair.slice(separator + 1);
  if (apiKey.length === 0) return null;
  const username = pair.slice(0, separator);
  return { apiKey, username: username.length > 0 ? username : null };
}

/**
 * The API key presented in an Authorization header, in each form the reference API accepts:
 * `Basic <api_key>`, `Basic <credential_id>:<api_key>` written out, and the standard
 * `Basic base64(<credential_id or empty>:<api_key>)`. Keys always contain `_`, which base64 never
 * does. Returns null for anything else; never throws.
 */
export function presentedKey(header: string | undefined): PresentedKey | null {
  if (header === undefined || header.length > MAX_LENGTH) return null;
  const match = /^basic[ ]+(\S+)[ ]*$/i.exec(header);
  const token = match?.[1];
  if (!token) return null;
  if (token.includes("_")) return token.includes(":") ? split(token) : { apiKey: token, username: null };
  if (!BASE64.test(token)) return null;
  return split(Buffer.from(token, "base64").toString("utf8"));
}

/** Whether a presented username names this credential ("if the UUID is provided, it must be the one"). */
export function usernameMatches(username: string | null, credentialId: string): boolean {
  return username === null || username.toLowerCase() === credentialId.toLowerCase();
}
