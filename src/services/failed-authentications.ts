import type { Credential } from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import type { RateCounter } from "./rate-limiter.ts";
import type { ServiceRuntime } from "./runtime.ts";

/** At most one event per credential and source address in this window. */
const WINDOW = { points: 1, windowSeconds: 60 };

/**
 * Refused authentications of real credentials (wrong secret, disabled, deleted, expired) written
 * to the owner's audit trail as `credential.authentication_failed`, aggregated to one event per
 * credential and source address a minute so that a flood cannot flood the trail. Written after
 * the answer, never delaying it.
 */
export class FailedAuthenticationAudit {
  readonly #runtime: ServiceRuntime;
  readonly #counter: RateCounter;
  readonly #onError: (error: unknown) => void;

  constructor(runtime: ServiceRuntime, counter: RateCounter, onError: (error: unknown) => void) {
    this.#runtime = runtime;
    this.#counter = counter;
    this.#onError = onError;
  }

  note(credential: Credential, sourceIp: string, reason: string): void {
    this.#write(credential, sourceIp, reason).catch(this.#onError);
  }

  async #write(credential: Credential, sourceIp: string, reason: string): Promise<void> {
    const first = await this.#counter.consume(
      `auth-fail-audit:${credential.credentialId}:${sourceIp}`,
      WINDOW,
    );
    if (!first.allowed) return;
    await this.#runtime.store.insertAuditEvent(
      auditEvent(
        this.#runtime,
        { actor: { kind: "anonymous" }, sourceIp },
        {
          accountId: credential.accountId,
          action: "credential.authentication_failed",
          targetType: "CREDENTIAL",
          targetId: credential.credentialId,
          statusBefore: credential.status,
          statusAfter: credential.status,
          reason,
        },
      ),
    );
  }
}
