import { AppError } from "../../../domain/errors.ts";

/**
 * A refusal of the forward-auth endpoint, carried in one response header so that a proxy which
 * only understands 2xx/401/403 (nginx `auth_request`) can still give the partner the real status,
 * headers and body: `/internal/v1/denial` renders it back.
 */
export interface CarriedDenial {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const STATUS = /^[45]\d\d$/;
const HEADER_NAMES =
  /^(retry-after|x-ratelimit-(limit|remaining|reset)|[a-z]+-(mtls-verification-status|ip-validation-status|mtls-enforcement(-deadline)?))$/i;
const BODY_FIELDS = ["error_id", "error_type", "error_code", "error_message"] as const;

export function encodeDenial(denial: CarriedDenial): string {
  return Buffer.from(JSON.stringify(denial)).toString("base64url");
}

/** The denial carried in the header, or null if it is missing or not one we wrote. */
export function decodeDenial(value: string | undefined): CarriedDenial | null {
  if (value === undefined || value.length > 4096) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const candidate = parsed as Partial<CarriedDenial> | null;
  if (!candidate || typeof candidate !== "object" || !STATUS.test(String(candidate.status))) return null;
  const body = candidate.body as Record<string, unknown> | undefined;
  if (!body || BODY_FIELDS.some((field) => typeof body[field] !== "string")) return null;
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(candidate.headers ?? {})) {
    if (
      HEADER_NAMES.test(name) &&
      typeof headerValue === "string" &&
      /^[\w ,;=.:-]{1,200}$/.test(headerValue)
    ) {
      headers[name] = headerValue;
    }
  }
  const kept: Record<string, unknown> = {};
  for (const field of BODY_FIELDS) kept[field] = body[field];
  if (typeof body.doc_url === "string") kept.doc_url = body.doc_url;
  if (Array.isArray(body.errors)) kept.errors = body.errors;
  return { status: Number(candidate.status), headers, body: kept };
}

export const NO_DENIAL = new AppError(
  "SERVICE_UNAVAILABLE",
  "The request could not be authorized right now; retry shortly",
);
