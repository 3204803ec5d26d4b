import { describe, expect, it } from "vitest";
import { presentedApiKey } from "./authorization-header.ts";

const key = `klarna_live_api_${"Ab3".repeat(16)}Zz`;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("presentedApiKey", () => {
  it.each([
    ["Basic <key>", `Basic ${key}`],
    ["basic <key>", `basic ${key}`],
    ["Basic <key> with extra spaces", `Basic   ${key}  `],
    ['Basic base64("id:key")', `Basic ${b64(`some-client-id:${key}`)}`],
    ['Basic base64(":key")', `Basic ${b64(`:${key}`)}`],
  ])("reads %s", (_label, header) => {
    expect(presentedApiKey(header)).toBe(key);
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
    ["two tokens", `Basic ${key} ${key}`],
  ])("returns null for %s", (_label, header) => {
    expect(presentedApiKey(header)).toBeNull();
  });

  it("returns null for headers over 1024 characters", () => {
    const padded = `Basic ${key} `;
    expect(presentedApiKey(padded.padEnd(1024, " "))).toBe(key);
    expect(presentedApiKey(padded.padEnd(1025, " "))).toBeNull();
    expect(presentedApiKey(`Basic ${b64(`id:${"k".repeat(1100)}`)}`)).toBeNull();
  });
});
