import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/** `partnerctl admin service-tokens create|list|revoke`: tokens of the provider's services for `/internal/*`. */
export function adminServiceTokensCommands(admin: Command): void {
  const tokens = admin
    .command("service-tokens")
    .description("tokens with which proxies, gateways and scanners call /internal/*");
  withConnectionOptions(
    tokens
      .command("create")
      .description("create a token (printed once; only its hash is stored)")
      .requiredOption("--name <name>", "what uses it, e.g. payments-edge")
      .option("--json", 'print {"service_token_id", "token"} as JSON'),
  ).action(async (options: ConnectionOptions & { name: string; json?: boolean }) => {
    const created = await adminClient(options).createServiceToken(options.name);
    if (options.json) {
      printJson({ service_token_id: created.service_token_id, name: created.name, token: created.token });
      return;
    }
    process.stdout.write(
      `Service token ${created.service_token_id} (${created.name}). Shown once; send it as X-Service-Token:\n${created.token}\n`,
    );
  });
  withConnectionOptions(
    tokens.command("list").description("every token, newest first").option("--json", "print JSON"),
  ).action(async (options: ConnectionOptions & { json?: boolean }) => {
    const { service_tokens } = await adminClient(options).listServiceTokens();
    if (options.json) {
      printJson(service_tokens);
      return;
    }
    for (const t of service_tokens) {
      process.stdout.write(`${t.service_token_id}  ${t.status.padEnd(7)}  ${t.created_at}  ${t.name}\n`);
    }
  });
  withConnectionOptions(
    tokens
      .command("revoke")
      .description("revoke a token: refused at once here, within CACHE_FALLBACK_TTL on other instances")
      .argument("<service_token_id>", "the token's UUID")
      .option("--json", "print JSON"),
  ).action(async (id: string, options: ConnectionOptions & { json?: boolean }) => {
    const revoked = await adminClient(options).revokeServiceToken(id);
    if (options.json) printJson(revoked);
    else process.stdout.write(`${revoked.service_token_id} is now ${revoked.status}\n`);
  });
}
