import { beforeEach, describe } from "vitest";
import type { Store } from "../../src/store/port.ts";
import { accountSuspension } from "./account-suspension.ts";
import { accounts } from "./accounts.ts";
import { audit } from "./audit.ts";
import { certificateRevocation } from "./certificate-revocation.ts";
import { clientCertificates } from "./client-certificates.ts";
import { connection } from "./connection.ts";
import { credentialCounts } from "./credential-counts.ts";
import { credentialStatus } from "./credential-status.ts";
import { credentialUses } from "./credential-uses.ts";
import { credentials } from "./credentials.ts";
import { contractContext, MethodRecorder } from "./harness.ts";
import { idempotency } from "./idempotency.ts";
import { idempotencyMarks } from "./idempotency-marks.ts";
import { onboardingLinks } from "./onboarding-links.ts";

/*
 * The behaviour every Store adapter must show. Each adapter's test file calls storeContract() with
 * a factory that opens a fresh, empty store; every case gets its own store.
 */

const AREAS = [
  connection,
  accounts,
  accountSuspension,
  onboardingLinks,
  credentials,
  credentialCounts,
  credentialStatus,
  credentialUses,
  audit,
  idempotency,
  idempotencyMarks,
  clientCertificates,
  certificateRevocation,
] as const;

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(name, () => {
    const recorder = new MethodRecorder();
    const ctx = contractContext(open, recorder);

    for (const area of AREAS) {
      describe(area.title, () => {
        beforeEach(() => recorder.enter(area.name));
        area.register(ctx);
      });
    }
  });
}
