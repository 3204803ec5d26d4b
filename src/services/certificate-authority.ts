import "reflect-metadata";
import { createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { invalidParameter } from "../domain/errors.ts";
import type { Random } from "../domain/runtime.ts";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as never);

const EC_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface IssuedCertificate {
  certificatePem: string;
  serialNumber: string;
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
}

/** What the CA can tell about a certificate a client presented, from the certificate alone. */
export interface PresentedCertificate {
  fingerprintSha256: string;
  issuedByUs: boolean;
  notBefore: Date;
  notAfter: Date;
}

function toPem(label: string, der: ArrayBuffer): string {
  return `${x509.PemConverter.encode(der, label)}\n`;
}

function fromPem(pem: string): ArrayBuffer {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error("no PEM block");
  return der;
}

export function fingerprintOf(der: Buffer | Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

function serial(random: Random): string {
  const bytes = Buffer.from(random.bytes(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER
  return bytes.toString("hex");
}

/**
 * The service's own certificate authority (EC P-256): signs partners' CSRs into client
 * certificates and, when none is configured, the HTTPS listener's own certificate.
 */
export class CertificateAuthority {
  readonly #cert: x509.X509Certificate;
  readonly #nodeCert: X509Certificate;
  readonly #key: CryptoKey;
  readonly #random: Random;

  private constructor(cert: x509.X509Certificate, key: CryptoKey, random: Random) {
    this.#cert = cert;
    this.#nodeCert = new X509Certificate(Buffer.from(cert.rawData));
    this.#key = key;
    this.#random = random;
  }

  static async generate(options: { commonName: string; now: Date; random: Random }): Promise<PemPair> {
    const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ["sign", "verify"])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(options.random),
      name: `CN=${options.commonName}`,
      notBefore: options.now,
      notAfter: new Date(options.now.getTime() + 10 * 365 * 86_400_000),
      signingAlgorithm: SIGNING,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
    return { certPem: cert.toString("pem"), keyPem: toPem("PRIVATE KEY", pkcs8) };
  }

  /** A CA that lives only in memory (tools, tests). */
  static async ephemeral(options: { now: Date; random: Random }): Promise<CertificateAuthority> {
    const pair = await CertificateAuthority.generate({ commonName: "ephemeral CA", ...options });
    return CertificateAuthority.load(pair, options.random);
  }

  /** Loads a CA; refuses a key that does not belong to the certificate. */
  static async load(pair: PemPair, random: Random): Promise<CertificateAuthority> {
    const cert = new x509.X509Certificate(pair.certPem);
    const fromKey = createPublicKey(createPrivateKey(pair.keyPem)).export({ type: "spki", format: "der" });
    const fromCert = new X509Certificate(pair.certPem).publicKey.export({ type: "spki", format: "der" });
    if (!fromKey.equals(fromCert)) throw new Error("The CA key does not match the CA certificate");
    const key = await webcrypto.subtle.importKey("pkcs8", fromPem(pair.keyPem), EC_P256, false, ["sign"]);
    return new CertificateAuthority(cert, key as CryptoKey, random);
  }

  get certificatePem(): string {
    return this.#cert.toString("pem");
  }

  /**
   * Signs a partner's CSR after checking it: valid PEM, its own signature verifies, an EC P-256
   * key, and the common name the account must use.
   */
  async signClientCsr(input: {
    csrPem: string;
    commonName: string;
    notBefore: Date;
    notAfter: Date;
  }): Promise<IssuedCertificate> {
    const parameter = "certificate_signing_request";
    let csr: x509.Pkcs10CertificateRequest;
    try {
      if (!input.csrPem.includes("-----BEGIN CERTIFICATE REQUEST-----")) throw new Error("not PEM");
      csr = new x509.Pkcs10CertificateRequest(input.csrPem);
    } catch {
      throw invalidParameter(parameter, "is not a PEM-encoded PKCS#10 certificate signing request");
    }
    const algorithm = csr.publicKey.algorithm as { name?: string; namedCurve?: string };
    if (algorithm.name !== "ECDSA" || algorithm.namedCurve !== "P-256") {
      throw invalidParameter(parameter, "must carry an EC P-256 (prime256v1) public key");
    }
    if (!(await csr.verify().catch(() => false))) {
      throw invalidParameter(parameter, "signature does not verify");
    }
    const names = csr.subjectName.getField("CN");
    if (names.length !== 1 || names[0] !== input.commonName) {
      throw invalidParameter(
        parameter,
        `subject CN must be ${input.commonName}, the last segment of the account id`,
      );
    }
    const publicKey = await csr.publicKey.export(EC_P256, ["verify"]);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(this.#random),
      subject: `CN=${input.commonName}`,
      issuer: this.#cert.subject,
      notBefore: input.notBefore,
      notAfter: input.notAfter,
      signingAlgorithm: SIGNING,
      publicKey,
      signingKey: this.#key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
        await x509.AuthorityKeyIdentifierExtension.create(this.#cert, false),
      ],
    });
    return {
      certificatePem: cert.toString("pem"),
      serialNumber: cert.serialNumber,
      fingerprintSha256: fingerprintOf(Buffer.from(cert.rawData)),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    };
  }

  /** A server certificate for the HTTPS listener, with its key. */
  async issueServerCertificate(input: { hostnames: string[]; now: Date }): Promise<PemPair> {
    const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ["sign", "verify"])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(this.#random),
      subject: `CN=${input.hostnames[0] ?? "localhost"}`,
      issuer: this.#cert.subject,
      notBefore: input.now,
      notAfter: new Date(input.now.getTime() + 365 * 86_400_000),
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: this.#key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(
          input.hostnames.map((name) =>
            /^[\d.:]+$/.test(name) ? { type: "ip", value: name } : { type: "dns", value: name },
          ),
        ),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
    return { certPem: cert.toString("pem"), keyPem: toPem("PRIVATE KEY", pkcs8) };
  }

  /** Reads a presented certificate (DER or PEM); null if it is not a certificate at all. */
  inspect(certificate: Buffer | string): PresentedCertificate | null {
    let parsed: X509Certificate;
    try {
      parsed = new X509Certificate(certificate);
    } catch {
      return null;
    }
    return {
      fingerprintSha256: fingerprintOf(parsed.raw),
      issuedByUs: parsed.checkIssued(this.#nodeCert) && parsed.verify(this.#nodeCert.publicKey),
      notBefore: new Date(parsed.validFrom),
      notAfter: new Date(parsed.validTo),
    };
  }
}
