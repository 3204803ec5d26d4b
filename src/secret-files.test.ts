import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSecretFile, resolveSecret } from "./secret-files.ts";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "secret-files-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("resolveSecret", () => {
  it("returns a given value and writes nothing", () => {
    const given = "g".repeat(40);
    expect(resolveSecret(dir, "pepper", given)).toEqual({ value: given, createdFile: null });
    expect(existsSync(join(dir, "pepper"))).toBe(false);
  });

  it("creates a 0600 file on first use and reads it back afterwards", () => {
    const dataDir = join(dir, "nested", "data");
    const file = join(dataDir, "admin-token");
    const first = resolveSecret(dataDir, "admin-token", null);
    expect(first.createdFile).toBe(file);
    expect(first.value.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first.value);

    const second = resolveSecret(dataDir, "admin-token", null);
    expect(second).toEqual({ value: first.value, createdFile: null });
    expect(readSecretFile(dataDir, "admin-token")).toBe(first.value);
  });

  it("generates a different secret per file", () => {
    expect(resolveSecret(dir, "a", null).value).not.toBe(resolveSecret(dir, "b", null).value);
  });

  it("refuses an existing file that is too short", () => {
    writeFileSync(join(dir, "pepper"), "short\n");
    expect(() => resolveSecret(dir, "pepper", null)).toThrow(/fewer than 32/);
  });
});

describe("readSecretFile", () => {
  it("returns null for a missing file", () => {
    expect(readSecretFile(dir, "absent")).toBeNull();
  });

  it("returns the trimmed content of an existing file", () => {
    writeFileSync(join(dir, "token"), "  value\n");
    expect(readSecretFile(dir, "token")).toBe("value");
  });
});
