import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import { CertificateAuthority, type PemPair } from "./services/certificate-authority.ts";

export interface LoadedCa {
  ca: CertificateAuthority;
  /** Set when the CA was created just now: where it was written. */
  createdFile: string | null;
}

/**
 * The configured CA files, or the service's own CA in DATA_DIR, created (key mode 0600) on first
 * start unless `create` is false (processes that only verify must use the server's CA).
 */
export async function loadOrCreateCa(
  config: Config,
  clock: Clock,
  random: Random,
  options: { create: boolean } = { create: true },
): Promise<LoadedCa> {
  const read = (certFile: string, keyFile: string): PemPair => ({
    certPem: readFileSync(certFile, "utf8"),
    keyPem: readFileSync(keyFile, "utf8"),
  });
  if (config.ca.certFile !== null && config.ca.keyFile !== null) {
    return {
      ca: await CertificateAuthority.load(read(config.ca.certFile, config.ca.keyFile), random),
      createdFile: null,
    };
  }
  const certFile = join(config.dataDir, "ca-cert.pem");
  const keyFile = join(config.dataDir, "ca-key.pem");
  const present = [existsSync(certFile), existsSync(keyFile)];
  if (present[0] && present[1]) {
    return { ca: await CertificateAuthority.load(read(certFile, keyFile), random), createdFile: null };
  }
  if (present[0] || present[1]) {
    // Never replace half a CA: every certificate it issued would turn INVALID.
    throw new Error(
      `Only one of ${certFile} and ${keyFile} exists; restore the other (or remove both to start a new CA)`,
    );
  }
  if (!options.create) {
    throw new Error(
      `No client-certificate CA in ${config.dataDir}: use the server's DATA_DIR, or set CA_CERT_FILE and CA_KEY_FILE`,
    );
  }
  const pair = await CertificateAuthority.generate({
    commonName: `${config.brand} partner-credentials client CA`,
    now: clock.now(),
    random,
  });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, pair.certPem, { mode: 0o644 });
  return { ca: await CertificateAuthority.load(pair, random), createdFile: keyFile };
}

/** The HTTPS listener's certificate: the configured files, or one our CA issues for this host. */
export async function serverCertificate(
  config: Config,
  ca: CertificateAuthority,
  clock: Clock,
): Promise<PemPair> {
  if (config.tls.certFile !== null && config.tls.keyFile !== null) {
    return {
      certPem: readFileSync(config.tls.certFile, "utf8"),
      keyPem: readFileSync(config.tls.keyFile, "utf8"),
    };
  }
  const names = [...new Set(["localhost", "127.0.0.1", "::1", hostname(), config.host].filter(Boolean))];
  return ca.issueServerCertificate({ hostnames: names, now: clock.now() });
}
