import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateCa, serverCertificate } from "./ca-files.ts";
import { loadConfig } from "./config.ts";
import { CertificateAuthority } from "./services/certificate-authority.ts";
import { systemClock, systemRandom } from "./system.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ca-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("CA files", () => {
  it("creates the CA in DATA_DIR once, with the key at mode 0600, and reuses it", async () => {
    const config = loadConfig({ DATA_DIR: dir });
    const first = await loadOrCreateCa(config, systemClock, systemRandom);
    expect(first.createdFile).toBe(join(dir, "ca-key.pem"));
    expect(statSync(join(dir, "ca-key.pem")).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateCa(config, systemClock, systemRandom);
    expect(second.createdFile).toBeNull();
    expect(second.ca.certificatePem).toBe(first.ca.certificatePem);
    expect(readFileSync(join(dir, "ca-cert.pem"), "utf8")).toBe(first.ca.certificatePem);
  });

  it("uses CA_CERT_FILE/CA_KEY_FILE and TLS_CERT_FILE/TLS_KEY_FILE when given", async () => {
    const pair = await CertificateAuthority.generate({
      commonName: "Given CA",
      now: new Date(),
      random: systemRandom,
    });
    writeFileSync(join(dir, "given-ca.pem"), pair.certPem);
    writeFileSync(join(dir, "given-ca.key"), pair.keyPem);
    writeFileSync(join(dir, "tls.pem"), "CERT");
    writeFileSync(join(dir, "tls.key"), "KEY");
    const config = loadConfig({
      DATA_DIR: join(dir, "data"),
      CA_CERT_FILE: join(dir, "given-ca.pem"),
      CA_KEY_FILE: join(dir, "given-ca.key"),
      TLS_CERT_FILE: join(dir, "tls.pem"),
      TLS_KEY_FILE: join(dir, "tls.key"),
    });
    const loaded = await loadOrCreateCa(config, systemClock, systemRandom);
    expect(loaded.createdFile).toBeNull();
    expect(loaded.ca.certificatePem).toBe(pair.certPem);
    expect(await serverCertificate(config, loaded.ca, systemClock)).toEqual({
      certPem: "CERT",
      keyPem: "KEY",
    });
    expect(() => loadConfig({ DATA_DIR: dir, CA_CERT_FILE: "x.pem" })).toThrow(/CA_CERT_FILE/);
    const other = await CertificateAuthority.generate({
      commonName: "Other",
      now: new Date(),
      random: systemRandom,
    });
    await expect(
      CertificateAuthority.load({ certPem: pair.certPem, keyPem: other.keyPem }, systemRandom),
    ).rejects.toThrow(/does not match/);
  });

  it("refuses to start over when only half of its CA is left", async () => {
    const config = loadConfig({ DATA_DIR: dir });
    await loadOrCreateCa(config, systemClock, systemRandom);
    rmSync(join(dir, "ca-key.pem"));
    await expect(loadOrCreateCa(config, systemClock, systemRandom)).rejects.toThrow(/Only one of/);
  });
});
