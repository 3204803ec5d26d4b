import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { PartnerClient } from "@partner-credentials/client";
import type { Command } from "commander";
import { partnerCliEnvironment } from "../config.ts";

export interface PartnerConnectionOptions {
  url?: string;
  profile?: string;
  partnerAccount?: string;
}

interface Profile {
  base_url?: string;
  api_key?: string;
}

/** `--url`, `--profile` and `--partner-account`, shared by every partner command. */
export function withPartnerOptions(command: Command): Command {
  return command
    .option("--url <url>", "the service's base URL (env PARTNER_API_URL, or the profile's base_url)")
    .option("--profile <file>", "profile file (default ~/.config/partnerctl/config.json)")
    .option("--partner-account <account_id>", "act for one of your Partner Accounts");
}

/** A file holding a key must be readable by its owner only. */
function readProfile(file: string, explicit: boolean): Profile {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    if (explicit) throw new Error(`No profile at ${file}`);
    return {};
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${file} is readable by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
    );
  }
  const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${file} is not a JSON object`);
  return parsed as Profile;
}

/**
 * The SDK for the partner named by the environment or the profile file. The key never comes from
 * a flag, so it never lands in shell history.
 */
export function partnerClient(options: PartnerConnectionOptions, withKey?: string): PartnerClient {
  const file = options.profile ?? join(homedir(), ".config", "partnerctl", "config.json");
  const profile = readProfile(file, options.profile !== undefined);
  const env = partnerCliEnvironment();
  const apiKey = withKey || env.apiKey || profile.api_key;
  if (!apiKey) {
    throw new Error(`No API key: set PARTNER_API_KEY, or put {"api_key": …} in ${file} (mode 0600)`);
  }
  const baseUrl = options.url || env.baseUrl || profile.base_url || "http://127.0.0.1:8080";
  // Short waits: a command line should say "rate limited" rather than hang for a minute.
  const client = new PartnerClient({ baseUrl, apiKey, retries: { attempts: 2, maxDelayMs: 2000 } });
  return options.partnerAccount ? client.forPartnerAccount(options.partnerAccount) : client;
}
