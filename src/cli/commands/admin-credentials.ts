import type { Command } from "commander";
import type { Credential, CredentialStatus } from "../../client/types.ts";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  printTable,
  withConnectionOptions,
} from "../admin-connection.ts";

const STATUSES: readonly CredentialStatus[] = ["ACTIVE", "DISABLED", "DELETED"];

/**
 * `partnerctl admin credentials list ACCOUNT_ID` and `enable|disable ACCOUNT_ID CREDENTIAL_ID`
 * for support staff.
 */
export function adminCredentialsCommands(admin: Command): void {
  const credentials = admin.command("credentials").description("support actions on a partner's credentials");
  withConnectionOptions(
    credentials
      .command("list")
      .description(
        "every credential of an account, newest first, in every status (DELETED ones still stored too)",
      )
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--status <status>", "only ACTIVE, DISABLED or DELETED ones")
      .option("--json", "print JSON"),
  ).action(async (accountId: string, options: ConnectionOptions & { status?: string; json?: boolean }) => {
    const status = options.status?.toUpperCase();
    if (status !== undefined && !STATUSES.includes(status as CredentialStatus)) {
      throw new Error(`--status must be one of ${STATUSES.join(", ")}`);
    }
    const client = adminClient(options);
    const all: Credential[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.listCredentials(accountId, {
        page_size: 100,
        page_token: pageToken,
        ...(status ? { status: status as CredentialStatus } : {}),
      });
      all.push(...page.credentials);
      pageToken = page.next_page_token;
    } while (pageToken);
    if (options.json) {
      printJson({ account_id: accountId, credentials: all });
      return;
    }
    printTable(
      [
        "CREDENTIAL_ID",
        "TYPE",
        "ENV",
        "STATUS",
        "REASON",
        "CREATED_AT",
        "LAST_USED_AT",
        "DISABLED_AT",
        "DESCRIPTION",
      ],
      all.map((c) => [
        c.credential_id,
        c.type,
        c.environment,
        c.status,
        c.status_reason ?? "-",
        c.created_at,
        c.last_used_at ?? "-",
        c.disabled_at ?? "-",
        c.description || "-",
      ]),
    );
  });
  for (const action of ["enable", "disable"] as const) {
    withConnectionOptions(
      credentials
        .command(action)
        .description(
          action === "enable"
            ? "reactivate a disabled credential and restart its inactivity clock"
            : "disable a credential (reason OPERATOR)",
        )
        .argument("<account_id>", "krn:partner:global:account:…")
        .argument("<credential_id>", "the credential's UUID")
        .option("--json", "print the credential as JSON"),
    ).action(
      async (accountId: string, credentialId: string, options: ConnectionOptions & { json?: boolean }) => {
        const client = adminClient(options);
        const credential =
          action === "enable"
            ? await client.enableCredential(accountId, credentialId)
            : await client.disableCredential(accountId, credentialId);
        if (options.json) {
          printJson(credential);
          return;
        }
        const reason = credential.status_reason ? ` (${credential.status_reason})` : "";
        process.stdout.write(`${credential.credential_id} is now ${credential.status}${reason}\n`);
      },
    );
  }
}
