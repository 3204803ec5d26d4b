import { describe, expect, it } from "vitest";
import { presentedKey, usernameMatches } from "./authorization-header.ts";

const key = `klarna_live_api_${"Ab3".repeat(16)}Zz`;
const id = "0190a4c2-7b1e-7c3d-9f00-123456789abc";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("presentedKey", () => {
  it.each([
    ["Basic <key>", `Basic ${key}`, null],
    ["basic <key>", `basic ${key}`, null],
    ["Basic <key> with extra spaces", `Basic   ${key}  `, null],
    ["Basic <uuid>:<key> written out", `Basic ${id}:${key}`, id],
    ["Basic :<key> written out", `Basic :${key}`, null],
    ['Basic base64("uuid:key")', `Basic ${b64(`${id}:${key}`)}`, id],
    ['Basic base64(":key")', `Basic ${b64(`:${key}`)}`, null],
  ])("reads %s", (_label, header, username) => {
    expect(presentedKey(header)).toEqual({ apiKey: key, username });
  });

  it.each([
    ["undefined", undefined],
    ["empty", ""],
    ["a Bearer token", `Bearer ${key}`],
    ["Basic without a token", "Basic"],
    ["Basic with a blank token", "Basic   "],
    ["a non-base64 token", "Basic !!!"],
    ["base64 without a colon", `Basic ${b64(key.replace(/_/g, "-"))}`],
    ["base64 with an empty key", `Basic ${b64("id:")}`],
    ["written out with an empty key", `Basic ${id}_:`],
    ["two tokens", `Basic ${key} ${key}`],
  ])("returns null for %s", (_label, header) => {
    expect(presentedKey(header)).toBeNull();
  });

  it("returns null for headers over 1024 characters", () => {
    const padded = `Basic ${key} `;
    expect(presentedKey(padded.padEnd(1024, " "))?.apiKey).toBe(key);
    expect(presentedKey(padded.padEnd(1025, " "))).toBeNull();
    expect(presentedKey(`Basic ${b64(`id:${"k".repeat(1100)}`)}`)).toBeNull();
  });

  it("accepts the key's own credential id as username, in any letter case, and nothing else", () => {
    expect(usernameMatches(null, id)).toBe(true);
    expect(usernameMatches(id.toUpperCase(), id)).toBe(true);
    expect(usernameMatches("0190a4c2-7b1e-7c3d-9f00-123456789abd", id)).toBe(false);
    expect(usernameMatches("some-client-id", id)).toBe(false);
  });
});
