import { describe, expect, it } from "vitest";
import { assertUsablePassword } from "./console-passwords.ts";

const EMAIL = "ada@partner.example";
const refusal = (password: string): string | null => {
  try {
    assertUsablePassword(password, EMAIL);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe("console passwords", () => {
  it("refuses long passwords that are still easy to guess, saying why", () => {
    expect(refusal("aaaaaaaaaaaa")).toMatch(/too easy to guess \(repeated characters/);
    expect(refusal("Password123!")).toMatch(/too easy to guess \(.*commonly used password\)/);
    expect(refusal("Welcome12345")).toMatch(/too easy to guess/);
    expect(refusal("ada@partner.example1")).toMatch(/too easy to guess \(it is made of your email address\)/);
  });

  it("keeps the length, email and breached-list rules", () => {
    expect(refusal("short one")).toMatch(/at least 12/);
    expect(refusal(EMAIL.toUpperCase())).toMatch(/email/);
    expect(refusal("qwertyuiop123")).toMatch(/data breaches/);
  });

  it("accepts a passphrase of unrelated words", () => {
    expect(refusal("glacier umbrella thirty kettle")).toBeNull();
    expect(refusal("correct horse battery staple 9")).toBeNull();
  });
});
