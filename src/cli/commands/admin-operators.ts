import { createHash, randomBytes } from "node:crypto";
import type { Command } from "commander";
import { printJson } from "../admin-connection.ts";
import { adminOperatorsInviteCommand } from "./admin-operators-invite.ts";

/**
 * `partnerctl admin operators new --name alice`: a token for one operator, printed once, and the
 * entry (its SHA-256) to add to ADMIN_TOKENS_FILE. Nothing is sent anywhere; restart the servers
 * after changing the file. Revoking is removing the entry.
 */
export function adminOperatorsCommands(admin: Command): void {
  const operators = admin.command("operators").description("named operator tokens (ADMIN_TOKENS_FILE)");
  operators
    .command("new")
    .description("make a token for one operator and the file entry that admits it")
    .requiredOption("--name <name>", "who uses it; shown as the actor of their audit events")
    .option("--json", 'print {"name", "token", "entry"} as JSON')
    .action((options: { name: string; json?: boolean }) => {
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(options.name)) {
        throw new Error("--name must be 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
      }
      const token = randomBytes(32).toString("base64url");
      const entry = { name: options.name, token_sha256: createHash("sha256").update(token).digest("hex") };
      if (options.json) {
        printJson({ name: options.name, token, entry });
        return;
      }
      process.stdout.write(
        `Token for ${options.name} (shown once; give it to them over a secure channel):\n${token}\n\n` +
          `Add to the "operators" list of ADMIN_TOKENS_FILE, then restart:\n${JSON.stringify(entry)}\n`,
      );
    });
  adminOperatorsInviteCommand(operators);
}
