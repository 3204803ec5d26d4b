import { chainHash, GENESIS } from "../src/domain/audit-chain.ts";
import { newAccountId } from "../src/domain/identifiers.ts";
import type { Clock } from "../src/domain/runtime.ts";
import { hashSecret } from "../src/domain/secret-hash.ts";
import type { Account } from "../src/domain/types.ts";
import { auditEvent } from "../src/services/audit.ts";
import { mintCredential } from "../src/services/credential-factory.ts";
import type { ServiceRuntime } from "../src/services/runtime.ts";
import { accountToRow, auditToRow, credentialToRow, iso } from "../src/store/kysely/rows.ts";
import type { Database } from "../src/store/kysely/tables.ts";
import { systemRandom } from "../src/system.ts";

export const DAY_MS = 86_400_000;

const OPERATOR = { actor: { kind: "operator" as const }, sourceIp: null };

export interface SeedOptions {
  credentials: number;
  accounts: number;
  /** Credentials due for a lifecycle transition as of `now` (one rule each, taken in turn). */
  due: number;
  /** Plaintext keys kept for traffic (ACTIVE API keys of distinct credentials). */
  keys: number;
  /** Credentials of the one large account (for listing at depth). */
  largeAccount: number;
  brand: string;
  pepper: string;
  now: Date;
}

/** What a benchmark needs to know of a seeded store. */
export interface SeedManifest {
  now: string;
  credentials: number;
  accounts: number;
  largeAccountId: string;
  largeAccountCredentials: number;
  /** The credentials that `prepareDue` makes due (or not), in a fixed order. */
  duePool: string[];
  keys: string[];
  brand: string;
  pepper: string;
}

type CredentialRow = Database["credentials"];

/** The due pool shares one hash (of a key nobody presents), so a pool row can be reset cheaply. */
export function dormantHash(pepper: string): string {
  return hashSecret({ version: 1, secret: pepper }, "dormant-due-pool-key").hash;
}

/** The rule each due-pool credential is made due for, in turn. */
const DUE_RULES = [
  "ROTATION_EXPIRED",
  "INACTIVITY_WARNING",
  "INACTIVITY_DISABLE",
  "INACTIVITY_DELETE",
] as const;

/**
 * The column values that make a due-pool credential due for its rule as of `now` (with the
 * default policy: disable after 60 days idle, warn 7 days before, delete after 300), or not due.
 */
export function dueState(index: number, now: Date, due: boolean): Partial<CredentialRow> {
  const ago = (days: number): string => iso(new Date(now.getTime() - days * DAY_MS - index));
  const base: Partial<CredentialRow> = {
    status: "ACTIVE",
    status_reason: null,
    disabled_at: null,
    deleted_at: null,
    expires_at: null,
    rotation_end: null,
    inactivity_warned_at: null,
    last_used_at: null,
    activity_at: ago(1),
  };
  if (!due) return base;
  switch (DUE_RULES[index % DUE_RULES.length]) {
    case "ROTATION_EXPIRED":
      return { ...base, expires_at: ago(1 / 24), rotation_end: "AT_EXPIRY", activity_at: ago(2) };
    case "INACTIVITY_WARNING":
      return { ...base, activity_at: ago(55) };
    case "INACTIVITY_DISABLE":
      return { ...base, activity_at: ago(61) };
    default:
      return {
        ...base,
        status: "DISABLED",
        status_reason: "INACTIVITY",
        disabled_at: ago(240),
        activity_at: ago(301),
      };
  }
}

/**
 * Accounts, their first audit event, and credentials minted by the service's own factory (its
 * key format, UUIDv7 ids, HMAC under the pepper), created over the 400 days before `now`.
 * Background credentials are 90 % ACTIVE and used within 30 days, 7 % DISABLED by an operator,
 * 3 % DELETED tombstones, 0.1 % mid-rotation (expiring tomorrow, WHEN_OLD_KEY_IDLE, in use):
 * none of them is due for any rule. Every 100th credential belongs to the large account.
 */
export function* seedRows(
  options: SeedOptions,
): Generator<
  | { table: "accounts"; row: Database["accounts"] }
  | { table: "audit_events"; row: Database["audit_events"] }
  | { table: "credentials"; row: CredentialRow },
  SeedManifest
> {
  const { now } = options;
  let clockAt = now.getTime() - 400 * DAY_MS;
  const clock: Clock = { now: () => new Date(clockAt) };
  const runtime = { clock, random: systemRandom } as unknown as ServiceRuntime;
  const peppers = {
    current: { version: 1, secret: options.pepper },
    byVersion: new Map([[1, { version: 1, secret: options.pepper }]]),
  };
  const dormant = dormantHash(options.pepper);

  const accountIds: string[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const account: Account = {
      accountId: newAccountId("LIVE", systemRandom),
      name: i === 0 ? "Large partner" : `Partner ${i}`,
      kind: "ACQUIRING_PARTNER",
      environment: "LIVE",
      parentAccountId: null,
      partnerAccountReference: null,
      createdAt: clock.now(),
      createdBy: "operator",
      security: {
        ipRestriction: { mode: "NOT_ENABLED", allowedIps: [] },
        mtlsEnforcedFrom: null,
        mtlsEnabled: false,
        rateLimits: {},
      },
      suspension: null,
    } as Account;
    accountIds.push(account.accountId);
    yield { table: "accounts", row: accountToRow(account) };
    const event = auditEvent(runtime, OPERATOR, {
      accountId: account.accountId,
      action: "account.created",
      targetType: "ACCOUNT",
      targetId: account.accountId,
    });
    yield {
      table: "audit_events",
      row: { ...auditToRow(event), seq: 1, prev_hash: GENESIS, hash: chainHash(GENESIS, event) },
    };
  }

  const step = (400 * DAY_MS - DAY_MS) / options.credentials;
  const duePool: string[] = [];
  const dueStride = Math.max(1, Math.floor(options.credentials / Math.max(1, options.due)));
  const keys: string[] = [];
  let large = 0;
  for (let j = 0; j < options.credentials; j++) {
    clockAt = now.getTime() - 400 * DAY_MS + Math.floor(j * step);
    const inLarge = j % 100 === 0 && large < options.largeAccount;
    if (inLarge) large++;
    const accountId = inLarge
      ? (accountIds[0] as string)
      : (accountIds[1 + (j % Math.max(1, options.accounts - 1))] as string);
    const minted = mintCredential(
      runtime,
      { brand: options.brand, peppers },
      { accountId, type: "API", environment: "LIVE", description: `key ${j}`, createdBy: "operator" },
    );
    const row = credentialToRow(minted.credential, minted.secret);
    const ago = (days: number): string => iso(new Date(now.getTime() - days * DAY_MS - (j % 997) * 1000));
    if (!inLarge && j % dueStride === 1 % dueStride && duePool.length < options.due) {
      Object.assign(row, dueState(duePool.length, now, true), { secret_hash: dormant });
      duePool.push(row.credential_id);
    } else if (j % 100 < 7 && !inLarge) {
      Object.assign(row, {
        status: "DISABLED",
        status_reason: "OPERATOR",
        disabled_at: ago(20),
        activity_at: ago(100),
      });
    } else if (j % 100 >= 97 && !inLarge) {
      Object.assign(row, {
        status: "DELETED",
        status_reason: "INACTIVITY",
        deleted_at: ago(5),
        disabled_at: ago(60),
        activity_at: ago(310),
        secret_hash: null,
        pepper_version: null,
      });
    } else if (j % 1000 === 50) {
      Object.assign(row, {
        expires_at: iso(new Date(now.getTime() + DAY_MS)),
        rotation_end: "WHEN_OLD_KEY_IDLE",
        last_used_at: ago(0),
        activity_at: ago(0),
      });
    } else {
      const used = ago(j % 30);
      Object.assign(row, { last_used_at: used, activity_at: used });
      if (keys.length < options.keys && !inLarge && minted.apiKey) keys.push(minted.apiKey);
    }
    yield { table: "credentials", row };
  }
  return {
    now: now.toISOString(),
    credentials: options.credentials,
    accounts: options.accounts,
    largeAccountId: accountIds[0] as string,
    largeAccountCredentials: large,
    duePool,
    keys,
    brand: options.brand,
    pepper: options.pepper,
  };
}
