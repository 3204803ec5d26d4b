import { beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/port.ts";
import { accountSuspension } from "./account-suspension.ts";
import { accounts } from "./accounts.ts";
import { addressesSeen } from "./addresses-seen.ts";
import { allowedOrigins } from "./allowed-origins.ts";
import { audit } from "./audit.ts";
import { certificateRevocation } from "./certificate-revocation.ts";
import { clientCertificates } from "./client-certificates.ts";
import { connection } from "./connection.ts";
import { consoleUsers } from "./console-users.ts";
import { credentialCounts } from "./credential-counts.ts";
import { credentialStatus } from "./credential-status.ts";
import { credentialUses } from "./credential-uses.ts";
import { credentials } from "./credentials.ts";
import { contractContext, MethodRecorder } from "./harness.ts";
import { idempotency } from "./idempotency.ts";
import { idempotencyMarks } from "./idempotency-marks.ts";
import { ipRestriction } from "./ip-restriction.ts";
import { leakReports } from "./leak-reports.ts";
import { lifecycleCandidates } from "./lifecycle-candidates.ts";
import { lifecycleChanges } from "./lifecycle-changes.ts";
import { mtlsEnforcement } from "./mtls-enforcement.ts";
import { onboardingLinks } from "./onboarding-links.ts";
import { portMethodNames } from "./port-methods.ts";
import { rateLimitOverrides } from "./rate-limit-overrides.ts";
import { rotation } from "./rotation.ts";
import { serviceTokens } from "./service-tokens.ts";
import { webhooks } from "./webhooks.ts";

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
  addressesSeen,
  rotation,
  leakReports,
  lifecycleCandidates,
  lifecycleChanges,
  audit,
  idempotency,
  idempotencyMarks,
  allowedOrigins,
  rateLimitOverrides,
  ipRestriction,
  mtlsEnforcement,
  clientCertificates,
  certificateRevocation,
  serviceTokens,
  webhooks,
  consoleUsers,
] as const;

type AreaName = (typeof AREAS)[number]["name"];

/**
 * Every port method, and the area (the file of that name) whose cases promise its behaviour. The
 * type makes a method added to the port without an entry here a type error; the last case below
 * makes it a test failure too, and checks that the area's cases do call the method.
 */
const COVERAGE = {
  createAccount: "accounts",
  findAccount: "accounts",
  countPartnerAccounts: "accounts",
  listAccounts: "accounts",
  searchAccounts: "accounts",
  suspendAccount: "account-suspension",
  resumeAccount: "account-suspension",

  replaceOnboardingLink: "onboarding-links",
  findOnboardingLink: "onboarding-links",
  claimOnboardingLink: "onboarding-links",

  insertCredential: "credentials",
  findCredentialByLookupId: "credentials",
  findCredential: "credentials",
  viewCredential: "credentials",
  listCredentials: "credentials",
  viewCredentials: "credentials",
  countCredentialsByStatus: "credential-counts",
  updateCredentialDescription: "credential-status",
  disableActiveCredential: "credential-status",
  enableDisabledCredential: "credential-status",
  rotateCredential: "rotation",
  findLifecycleCandidates: "lifecycle-candidates",
  applyLifecycleRule: "lifecycle-changes",
  recordCredentialUses: "credential-uses",
  recordAddressesSeen: "addresses-seen",
  listAddressesSeen: "addresses-seen",
  pruneAddressesSeen: "addresses-seen",
  recordCredentialLeak: "leak-reports",

  listAuditEvents: "audit",
  readAuditChain: "audit",
  insertAuditEvent: "audit",

  insertAllowedOrigin: "allowed-origins",
  listAllowedOrigins: "allowed-origins",
  deleteAllowedOrigin: "allowed-origins",
  findAllowedOrigins: "allowed-origins",
  changeRateLimits: "rate-limit-overrides",

  updateIpRestriction: "ip-restriction",
  setMtlsEnforcement: "mtls-enforcement",
  insertClientCertificate: "client-certificates",
  listClientCertificates: "client-certificates",
  findClientCertificate: "client-certificates",
  hasUsableClientCertificate: "client-certificates",
  countUsableClientCertificates: "client-certificates",
  findClientCertificateByFingerprint: "client-certificates",
  revokeClientCertificate: "certificate-revocation",

  reserveIdempotencyKey: "idempotency",
  deleteExpiredIdempotencyKeys: "idempotency",
  completeIdempotencyKey: "idempotency",
  releaseIdempotencyKey: "idempotency",

  insertServiceToken: "service-tokens",
  findServiceTokenByHash: "service-tokens",
  listServiceTokens: "service-tokens",
  revokeServiceToken: "service-tokens",

  insertWebhookEndpoint: "webhooks",
  listWebhookEndpoints: "webhooks",
  findWebhookEndpoint: "webhooks",
  deleteWebhookEndpoint: "webhooks",
  replaceWebhookSecret: "webhooks",
  insertWebhookDelivery: "webhooks",
  listWebhookDeliveries: "webhooks",
  findWebhookDelivery: "webhooks",
  claimDueWebhookDeliveries: "webhooks",
  recordWebhookAttempt: "webhooks",
  findNoticeCandidates: "webhooks",
  recordNotices: "webhooks",
  purgeWebhookHistory: "webhooks",

  insertConsoleUser: "console-users",
  reinviteConsoleUser: "console-users",
  findConsoleInvitation: "console-users",
  acceptConsoleInvitation: "console-users",
  findConsoleUser: "console-users",
  findConsoleUserByEmail: "console-users",
  listConsoleUsers: "console-users",
  listConsoleOperators: "console-users",
  insertConsoleSession: "console-users",
  findConsoleSession: "console-users",
  touchConsoleSession: "console-users",
  offerConsoleTotp: "console-users",
  replaceConsoleSession: "console-users",
  enrolConsoleSecondFactor: "console-users",
  useConsoleTotpStep: "console-users",
  useConsoleRecoveryCode: "console-users",
  endConsoleSession: "console-users",
  changeConsoleUserRole: "console-users",
  removeConsoleUser: "console-users",
  resetConsoleUserSignIn: "console-users",

  ping: "connection",
  close: "connection",
} as const satisfies Record<keyof Store, AreaName>;

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

    describe("coverage", () => {
      beforeEach(() => recorder.enter("coverage"));

      it("the contract suite lists all port methods, and the store has each", () => {
        const listed = Object.keys(COVERAGE).sort();
        expect(listed).toEqual(portMethodNames());
        for (const method of listed) {
          expect(typeof Reflect.get(ctx.store, method), `${method} on the store`).toBe("function");
        }
      });

      it("every listed method is called by the cases of its area", (test) => {
        // Run alone (under a name filter, say), the other cases have not run: nothing to judge by.
        if (recorder.areas === 0) test.skip();
        const unexercised = Object.entries(COVERAGE)
          .filter(([method, area]) => !recorder.calledIn(area).has(method))
          .map(([method, area]) => `${method} (${area})`);
        expect(unexercised).toEqual([]);
      });
    });
  });
}
