import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { systemRandom } from "../system.ts";
import { assertUsablePassword, hashPassword, verifyPassword } from "./console-passwords.ts";

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

  it("hashes with argon2id at the configured memory cost, never under 19 MiB", async () => {
    const random = systemRandom;
    const hash = await hashPassword("glacier umbrella thirty kettle", random, 19_456);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=4,t=3\$/);
    expect(await verifyPassword(hash, "glacier umbrella thirty kettle", random)).toBe(true);
    expect(await verifyPassword(hash, "glacier umbrella thirty kettlE", random)).toBe(false);
    expect(await verifyPassword(null, "glacier umbrella thirty kettle", random, 19_456)).toBe(false);
    const base = { DATA_DIR: "/tmp/unused", PUBLIC_URL: "https://partners.example" };
    expect(loadConfig(base).console.passwordMemoryKib).toBe(65_536);
    expect(() => loadConfig({ ...base, CONSOLE_PASSWORD_MEMORY: "8192" })).toThrow(
      /CONSOLE_PASSWORD_MEMORY must be an integer of at least 19456 KiB/,
    );
  });
});
