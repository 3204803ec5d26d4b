import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { MtlsStatus } from "../domain/mtls-policy.ts";
import type { Account, Credential } from "../domain/types.ts";
import type { Metrics } from "../metrics.ts";
import type { NamedOperator } from "../operator-tokens-file.ts";
import type { AccessPolicy } from "../services/access-policy.ts";
import type { AccountSecurityService } from "../services/account-security.ts";
import type { AccountService } from "../services/accounts.ts";
import type { AllowedOriginService } from "../services/allowed-origins.ts";
import type { AuditService } from "../services/audit.ts";
import type { AuthFailureGuard } from "../services/auth-failure-guard.ts";
import type { Authenticator } from "../services/authenticator.ts";
import type { ClientSessionService } from "../services/client-sessions.ts";
import type { ConsoleIdentityService } from "../services/console-identity.ts";
import type { CredentialService } from "../services/credentials.ts";
import type { FailureThrottle } from "../services/failure-throttle.ts";
import type { IdempotencyService } from "../services/idempotency.ts";
import type { IdentitySigner } from "../services/identity-signer.ts";
import type { LeakReportService } from "../services/leak-reports.ts";
import type { OnboardingService } from "../services/onboarding.ts";
import type { RateLimitService } from "../services/rate-limits.ts";
import type { RequestAuthorizer } from "../services/request-authorizer.ts";
import type { ServiceTokenService } from "../services/service-tokens.ts";
import type { WebhookService } from "../services/webhooks.ts";

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AppServices {
  accounts: AccountService;
  credentials: CredentialService;
  onboarding: OnboardingService;
  audit: AuditService;
  authenticator: Authenticator;
  idempotency: IdempotencyService;
  access: AccessPolicy;
  security: AccountSecurityService;
  origins: AllowedOriginService;
  sessions: ClientSessionService;
  rateLimits: RateLimitService;
  authGuard: AuthFailureGuard;
  authorizer: RequestAuthorizer;
  /** Failed operator-token attempts, per source address. */
  operatorGuard: FailureThrottle;
  /** Unknown onboarding-link tokens, per source address. */
  linkGuard: FailureThrottle;
  serviceTokens: ServiceTokenService;
  identity: IdentitySigner;
  /** Partners' webhook endpoints, their secrets, test messages and delivery logs. */
  webhooks: WebhookService;
  /** Leaked-key reports: GitHub's secret scanning and the provider's own scanners. */
  leakReports: LeakReportService;
  /** Console users: invitations, sign-in with a second factor, sessions, roles. */
  consoleIdentity: ConsoleIdentityService;
  /** The CA that issues client certificates: partners trust it, and proxies verify against it. */
  caCertificatePem: string;
  /** The service clock (for statuses that depend on time, such as SCHEDULED or EXPIRED). */
  now(): Date;
  /** Whether invalidations and rate limits are shared between instances right now. */
  sharing(): { invalidation_bus: "LOCAL" | "UP" | "DOWN"; rate_limits: "LOCAL" | "SHARED" | "PER_INSTANCE" };
  /** Readiness probe of the store. */
  ping(): Promise<void>;
}

export interface AppOptions {
  brand: string;
  /** The partners' base URL (`PUBLIC_URL`), as the OpenAPI document's server. */
  publicUrl: string;
  /** `host:port` of the internal listener, as its OpenAPI document's server. */
  internalAddress: string;
  /** Where the README is published (`DOCS_URL`): error bodies link to the section that explains them. */
  docsUrl: string | null;
  timeouts: { requestMs: number; keepAliveMs: number };
  metrics: Metrics;
  transport: { trustedProxies: readonly string[]; clientCertHeader: string };
  mtlsRequiredFor: "none" | "acquiring_partners";
  adminToken: string;
  /** Named operator tokens, besides the shared one. */
  operators: readonly NamedOperator[];
  services: AppServices;
  logger: FastifyBaseLogger;
}

/** The authenticated caller of a Partner Management API request. */
export interface Partner {
  account: Account;
  credential: Credential;
  /** The client certificate's verification status, when the account reports it. */
  mtlsStatus: MtlsStatus | null;
  /** The Partner Account named in the path or the Partner-Account header, already authorised. */
  managed: Account | null;
  /** The client's address the decision used (forwarded by a trusted proxy, or the connection's). */
  sourceIp: string;
}

declare module "fastify" {
  interface FastifyRequest {
    partner: Partner | null;
  }
}

export { headerPrefix } from "../domain/brand.ts";
