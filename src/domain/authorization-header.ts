const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_LENGTH = 1024;

/**
 * The API key presented in an Authorization header, in either accepted form:
 * `Basic <api_key>` (the reference API's), or the standard `Basic base64(<id or empty>:<api_key>)`.
 * Returns null for anything else; never throws.
 */
export function presentedApiKey(header: string | undefined): string | null {
  if (header === undefined || header.length > MAX_LENGTH) return null;
  const match = /^basic[ ]+(\S+)[ ]*$/i.exec(header);
  const token = match?.[1];
  if (!token) return null;
  if (token.includes("_")) return token;
  if (!BASE64.test(token)) return null;
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  if (separator < 0) return null;
  const key = decoded.slice(separator + 1);
  return key.length > 0 ? key : null;
}
