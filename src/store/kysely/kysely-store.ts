import { type Kysely, sql } from "kysely";
import type { Store } from "../port.ts";
import { accountSecurityStore } from "./account-security-store.ts";
import { accountStore } from "./account-store.ts";
import { addressesSeenStore } from "./addresses-seen-store.ts";
import { auditStore } from "./audit-store.ts";
import { certificateStore } from "./certificate-store.ts";
import type { DirectReader } from "./compiled-query.ts";
import { consoleStore } from "./console-store.ts";
import { credentialStore } from "./credential-store.ts";
import { idempotencyStore } from "./idempotency-store.ts";
import { leakStore } from "./leak-store.ts";
import { lifecycleStore } from "./lifecycle-store.ts";
import { onboardingStore } from "./onboarding-store.ts";
import { serviceTokenStore } from "./service-token-store.ts";
import type { Database } from "./tables.ts";
import { webhookStore } from "./webhook-store.ts";

/**
 * The Store port over Kysely, assembled from one store per area over the same connection(s).
 * Each method is the area's own function, not a forward to it: the lookups of every
 * authentication cost no more than a direct call. Dialect-specific set-up (and the statement
 * cache or named statements) lives in the sqlite/ and postgres/ factories. `afterClose` runs once
 * the connections are closed (a dialect's own helpers, say); `readNow` lets the reads of every
 * request skip Kysely's connection queue where the driver allows it (see compiled-query.ts).
 */
export function kyselyStore(
  db: Kysely<Database>,
  options: { afterClose?: () => Promise<void>; readNow?: DirectReader } = {},
): Store {
  const afterClose = options.afterClose ?? (async () => undefined);
  const direct = options.readNow ? { db, read: options.readNow } : undefined;
  return {
    ...accountStore(db, direct),
    ...onboardingStore(db),
    ...credentialStore(db, direct),
    ...lifecycleStore(db),
    ...auditStore(db),
    ...accountSecurityStore(db),
    ...certificateStore(db),
    ...idempotencyStore(db),
    ...serviceTokenStore(db),
    ...webhookStore(db),
    ...leakStore(db),
    ...consoleStore(db),
    ...addressesSeenStore(db),

    async ping() {
      await sql`select 1`.execute(db);
    },

    async close() {
      await db.destroy();
      await afterClose();
    },
  };
}
