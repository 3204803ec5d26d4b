import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Account, Credential } from "../domain/types.ts";
import type { AccountService } from "../services/accounts.ts";
import type { AuditService } from "../services/audit.ts";
import type { Authenticator } from "../services/authenticator.ts";
import type { CredentialService } from "../services/credentials.ts";
import type { IdempotencyService } from "../services/idempotency.ts";
import type { OnboardingService } from "../services/onboarding.ts";

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
  /** Readiness probe of the store. */
  ping(): Promise<void>;
}

export interface AppOptions {
  brand: string;
  adminToken: string;
  services: AppServices;
  logger: FastifyBaseLogger;
}

/** The authenticated caller of a Partner Management API request. */
export interface Partner {
  account: Account;
  credential: Credential;
}

declare module "fastify" {
  interface FastifyRequest {
    partner: Partner | null;
  }
}

/** `klarna` → `Klarna`: the prefix of the brand's own headers (Klarna-Correlation-Id…). */
export function headerPrefix(brand: string): string {
  return brand.charAt(0).toUpperCase() + brand.slice(1);
}
