import { writeFileSync } from "node:fs";
import type { CreatedCredential, Credential } from "@partner-credentials/client";
import type { Command } from "commander";
import { printJson, printTable } from "../admin-connection.ts";
import { type PartnerConnectionOptions, partnerClient, withPartnerOptions } from "../partner-connection.ts";

type Options = PartnerConnectionOptions & { json?: boolean };

function show(credential: Credential | CreatedCredential, json: boolean | undefined): void {
  if (json) {
    printJson(credential);
    return;
  }
  printTable(
    ["CREDENTIAL_ID", "TYPE", "ENV", "STATUS", "LAST_USED_AT", "DESCRIPTION"],
    [
      [
        credential.credential_id,
        credential.type,
        credential.environment,
        credential.status,
        credential.last_used_at ?? "-",
        credential.description,
      ],
    ],
  );
}

/** Writes a new key to a file of its own (mode 0600), never over an existing one. */
function writeKey(file: string, apiKey: string): void {
  writeFileSync(file, `${apiKey}\n`, { mode: 0o600, flag: "wx" });
}

/**
 * Whether an old key counts as quiet: no longer active, or no use seen for `quietMs` since the
 * later of its last use and the start of the watch (uses reach `last_used_at` a few seconds late).
 */
function quiet(old: Credential, watchedSince: number, now: number, quietMs: number): boolean {
  if (old.status !== "ACTIVE") return true;
  const lastUse = old.last_used_at === undefined ? 0 : Date.parse(old.last_used_at);
  return now - Math.max(lastUse, watchedSince) >= quietMs;
}

/** `partnerctl credentials list|get|create|update|disable|enable|rotate`, with the partner's own key. */
export function partnerCredentialsCommands(program: Command): void {
  const credentials = program.command("credentials").description("your API keys and Client IDs");

  withPartnerOptions(credentials.command("list").description("every credential, newest first"))
    .option("--type <type>", "API or CLIENT")
    .option("--environment <environment>", "LIVE or TEST")
    .option("--status <status>", "ACTIVE, DISABLED or DELETED")
    .option("--json", "print JSON")
    .action(async (options: Options & { type?: string; environment?: string; status?: string }) => {
      const client = partnerClient(options);
      const all: Credential[] = [];
      for await (const credential of client.credentials({
        type: options.type?.toUpperCase() as Credential["type"] | undefined,
        environment: options.environment?.toUpperCase() as Credential["environment"] | undefined,
        status: options.status?.toUpperCase() as Credential["status"] | undefined,
        page_size: 100,
      })) {
        all.push(credential);
      }
      if (options.json) return printJson({ credentials: all });
      printTable(
        ["CREDENTIAL_ID", "TYPE", "ENV", "STATUS", "CREATED_AT", "LAST_USED_AT", "DESCRIPTION"],
        all.map((c) => [
          c.credential_id,
          c.type,
          c.environment,
          c.status,
          c.created_at,
          c.last_used_at ?? "-",
          c.description,
        ]),
      );
    });

  withPartnerOptions(credentials.command("get").description("one credential").argument("<credential_id>"))
    .option("--json", "print JSON")
    .action(async (credentialId: string, options: Options) => {
      show(await partnerClient(options).getCredential(credentialId), options.json);
    });

  withPartnerOptions(credentials.command("create").description("a new API key (shown once) or Client ID"))
    .requiredOption("--type <type>", "API or CLIENT")
    .requiredOption("--environment <environment>", "LIVE or TEST")
    .option("--description <text>", "what it is for (one credential per service)")
    .option("--write-key <file>", "write the new API key to this file (mode 0600) instead of printing it")
    .option("--json", "print JSON (with the key, unless --write-key)")
    .action(
      async (
        options: Options & { type: string; environment: string; description?: string; writeKey?: string },
      ) => {
        const created = await partnerClient(options).createCredential({
          type: options.type.toUpperCase() as "API" | "CLIENT",
          environment: options.environment.toUpperCase() as "LIVE" | "TEST",
          ...(options.description ? { description: options.description } : {}),
        });
        const { api_key: apiKey, ...rest } = created;
        if (apiKey && options.writeKey) writeKey(options.writeKey, apiKey);
        if (options.json) return printJson(options.writeKey ? rest : created);
        show(created, false);
        if (apiKey && !options.writeKey) process.stdout.write(`\nAPI key (shown once): ${apiKey}\n`);
      },
    );

  withPartnerOptions(
    credentials.command("update").description("change the description").argument("<credential_id>"),
  )
    .requiredOption("--description <text>", "the new description")
    .option("--json", "print JSON")
    .action(async (credentialId: string, options: Options & { description: string }) => {
      show(
        await partnerClient(options).updateCredential(credentialId, { description: options.description }),
        options.json,
      );
    });

  withPartnerOptions(
    credentials.command("disable").description("disable a credential").argument("<credential_id>"),
  )
    .option("--json", "print JSON")
    .action(async (credentialId: string, options: Options) => {
      const client = partnerClient(options);
      await client.disableCredential(credentialId);
      show(await client.getCredential(credentialId), options.json);
    });

  withPartnerOptions(
    credentials.command("enable").description("reactivate a disabled credential").argument("<credential_id>"),
  )
    .option("--json", "print JSON")
    .action(async (credentialId: string, options: Options) => {
      show(await partnerClient(options).enableCredential(credentialId), options.json);
    });

  withPartnerOptions(
    credentials
      .command("rotate")
      .description(
        "issue a successor, hand over its key, then watch the old key's last use until it goes quiet",
      )
      .argument("<credential_id>"),
  )
    .option("--overlap <duration>", "how long the old key keeps working (ISO 8601)", "PT24H")
    .option("--end-when-idle", "end the overlap as soon as the old key is idle and the new one used")
    .option("--write-key <file>", "write the new API key to this file (mode 0600)")
    .option("--quiet-for <seconds>", "the old key counts as quiet after this long unused", "900")
    .option("--interval <seconds>", "how often to look", "10")
    .option("--no-watch", "stop after the rotation")
    .option("--json", "print JSON")
    .action(
      async (
        credentialId: string,
        options: Options & {
          overlap: string;
          endWhenIdle?: boolean;
          writeKey?: string;
          quietFor: string;
          interval: string;
          watch: boolean;
        },
      ) => {
        const client = partnerClient(options);
        const successor = await client.rotateCredential(credentialId, {
          overlap: options.overlap,
          ...(options.endWhenIdle ? { end_overlap: "WHEN_OLD_KEY_IDLE" as const } : {}),
        });
        const { api_key: apiKey, ...rest } = successor;
        if (apiKey && options.writeKey) writeKey(options.writeKey, apiKey);
        if (options.json) printJson(options.writeKey ? rest : successor);
        else {
          process.stdout.write(
            `New credential ${successor.credential_id}; deploy its key, then watch the old one.\n`,
          );
          if (apiKey && !options.writeKey) process.stdout.write(`API key (shown once): ${apiKey}\n`);
          if (options.writeKey) process.stdout.write(`API key written to ${options.writeKey} (mode 0600)\n`);
        }
        if (!options.watch) return;
        // Watch with the new key: the old one may be this command's own, and looking would use it.
        const watcher = apiKey ? partnerClient(options, apiKey) : client;
        const quietMs = Number(options.quietFor) * 1000;
        const intervalMs = Math.max(0.1, Number(options.interval)) * 1000;
        const live = process.stderr.isTTY;
        let previous = "";
        const watchedSince = Date.now();
        for (;;) {
          const old = await watcher.getCredential(credentialId);
          const line = `old key ${old.credential_id}: ${old.status}, last used ${old.last_used_at ?? "never"}${old.expires_at ? `, overlap ends ${old.expires_at}` : ""}`;
          if (line !== previous) process.stderr.write(live ? `\r\x1b[2K${line}` : `${line}\n`);
          previous = line;
          if (quiet(old, watchedSince, Date.now(), quietMs)) {
            process.stderr.write(
              `${live ? "\n" : ""}The old key is quiet: ${old.status === "ACTIVE" ? "disable it when you are sure" : "it no longer works"}.\n`,
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
      },
    );
}
