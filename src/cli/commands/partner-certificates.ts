import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { printJson, printTable } from "../admin-connection.ts";
import { keyAndCsr } from "../csr.ts";
import { type PartnerConnectionOptions, partnerClient, withPartnerOptions } from "../partner-connection.ts";

type Options = PartnerConnectionOptions & { json?: boolean };

/** `partnerctl certificates request|list|revoke`: mTLS client certificates. */
export function partnerCertificatesCommands(program: Command): void {
  const certificates = program.command("certificates").description("mTLS client certificates");

  withPartnerOptions(
    certificates
      .command("request")
      .description(
        "make a P-256 key and CSR here, have the CSR signed, and write key, certificate and CA to --out",
      ),
  )
    .requiredOption("--out <dir>", "where to write client.key (0600), client.csr, client.crt and ca.pem")
    .option("--description <text>", "what the certificate is for")
    .option("--json", "print JSON")
    .action(async (options: Options & { out: string; description?: string }) => {
      const client = partnerClient(options);
      const account = await client.getAccount();
      // The certificate's CN is the last segment of the account id.
      const commonName = account.account_id.split(":").pop() ?? "";
      const { keyPem, csrPem } = await keyAndCsr(commonName);
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, "client.key"), keyPem, { mode: 0o600, flag: "wx" });
      writeFileSync(join(options.out, "client.csr"), csrPem);
      const issued = await client.requestClientCertificate({
        certificate_signing_request: csrPem,
        ...(options.description ? { description: options.description } : {}),
      });
      writeFileSync(join(options.out, "client.crt"), issued.certificate);
      writeFileSync(join(options.out, "ca.pem"), await client.getCaCertificate());
      const { certificate: _pem, ...summary } = issued;
      if (options.json) return printJson({ ...summary, out: options.out });
      process.stdout.write(
        `Certificate ${issued.certificate_id} (valid until ${issued.not_after}) in ${options.out}: client.key, client.crt, ca.pem\n`,
      );
    });

  withPartnerOptions(certificates.command("list").description("your client certificates, newest first"))
    .option("--json", "print JSON")
    .action(async (options: Options) => {
      const page = await partnerClient(options).listClientCertificates({ page_size: 100 });
      const rows = page.client_certificates.map(({ certificate: _pem, ...rest }) => rest);
      if (options.json) return printJson({ client_certificates: rows });
      printTable(
        ["CERTIFICATE_ID", "STATUS", "NOT_AFTER", "FINGERPRINT_SHA256", "DESCRIPTION"],
        rows.map((c) => [c.certificate_id, c.status, c.not_after, c.fingerprint_sha256, c.description]),
      );
    });

  withPartnerOptions(
    certificates.command("revoke").description("revoke a certificate").argument("<certificate_id>"),
  )
    .option("--force", "even the last valid one while mTLS is enforced (locks the account out)")
    .action(async (certificateId: string, options: Options & { force?: boolean }) => {
      await partnerClient(options).revokeClientCertificate(certificateId, { force: options.force === true });
      process.stdout.write(`Revoked ${certificateId}\n`);
    });
}
