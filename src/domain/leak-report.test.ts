import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKey } from "./key-format.ts";
import {
  parseSigningKeys,
  reportedTokenHash,
  scannerPattern,
  shapeOfReportedToken,
  signatureHolds,
  withoutToken,
} from "./leak-report.ts";
import type { Random } from "./runtime.ts";

const random: Random = {
  bytes: (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256)),
};

describe("leak reports", () => {
  const apiKey = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random }).key;
  const clientId = generateKey({ brand: "klarna", environment: "TEST", type: "CLIENT", random }).key;

  it("the scanner pattern finds API keys inside text, and only those", () => {
    const pattern = new RegExp(scannerPattern("klarna"), "g");
    expect(`KLARNA_KEY=${apiKey}\nother=1`.match(pattern)).toEqual([apiKey]);
    expect(clientId.match(pattern)).toBeNull();
    expect(apiKey.replace("klarna", "acme").match(pattern)).toBeNull();
  });

  it("tells keys and Client IDs of ours from anything else by their checksum", () => {
    expect(shapeOfReportedToken("klarna", apiKey)).toMatchObject({ kind: "API_KEY" });
    expect(shapeOfReportedToken("klarna", clientId)).toMatchObject({ kind: "CLIENT_ID" });
    const mistyped = apiKey.slice(0, -1) + (apiKey.endsWith("A") ? "B" : "A");
    expect(shapeOfReportedToken("klarna", mistyped)).toEqual({ kind: "NOT_OURS" });
    expect(shapeOfReportedToken("acme", apiKey)).toEqual({ kind: "NOT_OURS" });
    expect(shapeOfReportedToken("klarna", "ghp_abc")).toEqual({ kind: "NOT_OURS" });
  });

  it("keeps only the token's SHA-256, and never the token inside free text", () => {
    expect(reportedTokenHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(withoutToken(`https://x.example/?k=${apiKey}&again=${apiKey}`, apiKey)).toBe(
      "https://x.example/?k=[REDACTED]&again=[REDACTED]",
    );
    expect(withoutToken("Content", apiKey)).toBe("Content");
  });

  it("verifies GitHub's signatures over the exact bytes with every listed key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const keys = parseSigningKeys({
      public_keys: [
        { key_identifier: "k1", key: publicKey.export({ type: "spki", format: "pem" }), is_current: false },
      ],
    });
    const key = keys.get("k1");
    if (!key) throw new Error("k1 not read");
    const body = Buffer.from('[{"token":"x"}]');
    const signature = sign("sha256", body, privateKey).toString("base64");
    expect(signatureHolds(key, signature, body)).toBe(true);
    expect(signatureHolds(key, signature, Buffer.from('[{"token":"y"}]'))).toBe(false);
    expect(signatureHolds(key, "not base64!", body)).toBe(false);
    expect(signatureHolds(key, Buffer.from("short").toString("base64"), body)).toBe(false);
  });

  it("refuses a key document of another shape, or a key that is not P-256", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({
      type: "spki",
      format: "pem",
    });
    expect(() => parseSigningKeys({})).toThrow(/public_keys/);
    expect(() => parseSigningKeys({ public_keys: [{ key: "x" }] })).toThrow(/key_identifier/);
    expect(() => parseSigningKeys({ public_keys: [{ key_identifier: "k", key: "x" }] })).toThrow(/PEM/);
    expect(() => parseSigningKeys({ public_keys: [{ key_identifier: "k", key: rsa }] })).toThrow(/P-256/);
  });
});
