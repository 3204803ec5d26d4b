import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Keys and CSRs made by the openssl command line, as a partner makes them. */
export function opensslKeyAndCsr(options: { commonName: string; key?: "p256" | "p384" | "rsa" }): {
  keyPem: string;
  csrPem: string;
} {
  const dir = mkdtempSync(join(tmpdir(), "openssl-"));
  try {
    const key = join(dir, "client.key");
    const csr = join(dir, "client.csr");
    if (options.key === "rsa") execFileSync("openssl", ["genrsa", "-out", key, "2048"], { stdio: "ignore" });
    else {
      const curve = options.key === "p384" ? "secp384r1" : "prime256v1";
      execFileSync("openssl", ["ecparam", "-name", curve, "-genkey", "-noout", "-out", key]);
    }
    execFileSync("openssl", ["req", "-new", "-key", key, "-subj", `/CN=${options.commonName}`, "-out", csr]);
    return { keyPem: readFileSync(key, "utf8"), csrPem: readFileSync(csr, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl verify -CAfile ca.pem cert.pem` succeeds. */
export function opensslVerifies(caPem: string, certPem: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), "openssl-"));
  try {
    writeFileSync(join(dir, "ca.pem"), caPem);
    writeFileSync(join(dir, "cert.pem"), certPem);
    execFileSync(
      "openssl",
      ["verify", "-purpose", "sslclient", "-CAfile", join(dir, "ca.pem"), join(dir, "cert.pem")],
      {
        stdio: "ignore",
      },
    );
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed P-256 certificate from openssl: a certificate of "another CA". */
export function opensslSelfSigned(
  commonName: string,
  options: { subjectAltName?: string } = {},
): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), "openssl-"));
  try {
    const key = join(dir, "k.pem");
    const cert = join(dir, "c.pem");
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
    execFileSync("openssl", [
      "req",
      "-x509",
      "-new",
      "-key",
      key,
      "-subj",
      `/CN=${commonName}`,
      ...(options.subjectAltName ? ["-addext", `subjectAltName=${options.subjectAltName}`] : []),
      "-days",
      "2",
      "-out",
      cert,
    ]);
    return { certPem: readFileSync(cert, "utf8"), keyPem: readFileSync(key, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
