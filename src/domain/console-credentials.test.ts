import { describe, expect, it } from "vitest";
import {
  newRecoveryCode,
  normalizeEmail,
  normalizeRecoveryCode,
  normalizeTotpCode,
  passwordProblem,
} from "./console-credentials.ts";

const breached = (p: string): boolean => p === "qwertyuiop123";
/** A stand-in estimate: "weak" anywhere is score 1 with a warning, anything else 4. */
const strength = (p: string) =>
  p.includes("weak")
    ? { score: 1, warning: "this is a commonly used password" }
    : { score: 4, warning: null };
const check = (password: string): string | null =>
  passwordProblem(password, { email: "ada@x.example", breached, strength });

describe("console credentials", () => {
  it("normalises emails and refuses what is not one", () => {
    expect(normalizeEmail("  Ada@Partner.Example ")).toBe("ada@partner.example");
    for (const bad of ["", "ada", "ada@", "a b@x.example", "ada@localhost", `${"a".repeat(250)}@x.example`]) {
      expect(normalizeEmail(bad), bad).toBeNull();
    }
  });

  it("passwords: 12 to 256 characters, not the email, not breached in any case", () => {
    expect(check("eleven chars")).toBeNull();
    expect(check("short")).toMatch(/at least 12/);
    expect(check("ünïcødé✓✓✓✓")).toMatch(/at least 12/);
    expect(check("x".repeat(257))).toMatch(/at most 256/);
    expect(check("ADA@X.EXAMPLE")).toMatch(/email/);
    expect(check("QwertyUIOP123")).toMatch(/breaches/);
    expect(check("weak weak weak")).toBe(
      "is too easy to guess (this is a commonly used password): use a few unrelated words, or a password manager's",
    );
  });

  it("recovery codes: ten letters of an unambiguous alphabet, read back however typed", () => {
    let n = 0;
    const random = { bytes: (length: number) => Uint8Array.from({ length }, () => (n++ * 37) % 256) };
    const code = newRecoveryCode(random);
    expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(normalizeRecoveryCode(code.toUpperCase().replace("-", ""))).toBe(code);
    expect(normalizeRecoveryCode(` ${code} `)).toBe(code);
    expect(normalizeRecoveryCode("abcde-fghi1")).toBeNull();
    expect(normalizeRecoveryCode("123456")).toBeNull();
  });

  it("TOTP codes are six digits, spaces allowed", () => {
    expect(normalizeTotpCode("123 456")).toBe("123456");
    expect(normalizeTotpCode("12345")).toBeNull();
    expect(normalizeTotpCode("12345a")).toBeNull();
  });
});
