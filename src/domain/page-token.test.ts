import { describe, expect, it } from "vitest";
import { AppError } from "./errors.ts";
import { decodePageToken, encodePageToken } from "./page-token.ts";

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

function decodeFailure(token: string): unknown {
  try {
    decodePageToken(token);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("page tokens", () => {
  it("round-trip a position", () => {
    const position = { at: "2026-01-02T03:04:05.678Z", id: "0190f3a4-0000-7000-8000-000000000001" };
    const token = encodePageToken(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token)).toEqual(position);
  });

  it.each([
    ["garbage", "!!!not a token!!!"],
    ["empty", ""],
    ["base64 of non-JSON", b64url("hello world")],
    ["an object", b64url(JSON.stringify({ at: "2026-01-01T00:00:00Z", id: "x" }))],
    ["a one-element array", b64url(JSON.stringify(["2026-01-01T00:00:00Z"]))],
    ["a three-element array", b64url(JSON.stringify(["2026-01-01T00:00:00Z", "x", "y"]))],
    ["a numeric date", b64url(JSON.stringify([1_700_000_000_000, "x"]))],
    ["a numeric id", b64url(JSON.stringify(["2026-01-01T00:00:00Z", 5]))],
    ["null", b64url("null")],
    ["a bad date", b64url(JSON.stringify(["not a date", "x"]))],
    ["a shortened date", b64url(JSON.stringify(["2026-03-01", "x"]))],
    ["a date without milliseconds", b64url(JSON.stringify(["2026-03-01T00:00:00Z", "x"]))],
  ])("rejects %s with VALIDATION_ERROR", (_label, token) => {
    const error = decodeFailure(token);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION_ERROR");
    expect((error as AppError).validationErrors?.[0]?.parameter).toBe("page_token");
  });
});
