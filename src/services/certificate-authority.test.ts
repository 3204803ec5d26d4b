import { describe, expect, it } from "vitest";
import { opensslKeyAndCsr, opensslVerifies } from "../../test/openssl.ts";
import type { AppError } from "../domain/errors.ts";
import { systemRandom } from "../system.ts";
import { CertificateAuthority } from "./certificate-authority.ts";

const now = new Date("2026-06-01T00:00:00Z");
const later = new Date("2027-06-01T00:00:00Z");

async function newCa(): Promise<CertificateAuthority> {
  return CertificateAuthority.load(
    await CertificateAuthority.generate({
      commonName: "Test CA",
      now: new Date("2026-01-01T00:00:00Z"),
      random: systemRandom,
    }),
    systemRandom,
  );
}

async function rejection(ca: CertificateAuthority, csrPem: string, commonName = "ABCD1234"): Promise<string> {
  try {
    await ca.signClientCsr({ csrPem, commonName, notBefore: now, notAfter: later });
  } catch (error) {
    return (error as AppError).validationErrors?.[0]?.message ?? String(error);
  }
  return "accepted";
}

describe("CertificateAuthority", () => {
  it("signs an openssl P-256 CSR into a client certificate that openssl verifies", async () => {
    const ca = await newCa();
    const { csrPem } = opensslKeyAndCsr({ commonName: "ABCD1234" });
    const issued = await ca.signClientCsr({
      csrPem,
      commonName: "ABCD1234",
      notBefore: now,
      notAfter: later,
    });
    expect(issued.certificatePem).toContain("BEGIN CERTIFICATE");
    expect(issued.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.notAfter).toEqual(later);
    expect(opensslVerifies(ca.certificatePem, issued.certificatePem)).toBe(true);
    expect(ca.inspect(issued.certificatePem)).toMatchObject({
      issuedByUs: true,
      fingerprintSha256: issued.fingerprintSha256,
    });
    const other = await newCa();
    expect(other.inspect(issued.certificatePem)?.issuedByUs).toBe(false);
    expect(opensslVerifies(other.certificatePem, issued.certificatePem)).toBe(false);
  });

  it("refuses RSA and P-384 keys, a wrong CN, non-PEM input and a broken signature", async () => {
    const ca = await newCa();
    expect(await rejection(ca, opensslKeyAndCsr({ commonName: "ABCD1234", key: "rsa" }).csrPem)).toContain(
      "P-256",
    );
    expect(await rejection(ca, opensslKeyAndCsr({ commonName: "ABCD1234", key: "p384" }).csrPem)).toContain(
      "P-256",
    );
    expect(await rejection(ca, opensslKeyAndCsr({ commonName: "WRONG123" }).csrPem)).toContain(
      "CN must be ABCD1234",
    );
    expect(await rejection(ca, "hello")).toContain("PEM");
    expect(
      await rejection(ca, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"),
    ).toContain("PEM");
    const { csrPem } = opensslKeyAndCsr({ commonName: "ABCD1234" });
    const der = Buffer.from(csrPem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0x01;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(await rejection(ca, tampered)).toMatch(/signature does not verify|PEM/);
  });
});
