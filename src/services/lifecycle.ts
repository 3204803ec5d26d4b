import { type LifecyclePolicy, lifecycleThresholds } from "../domain/lifecycle-policy.ts";
import type { Credential, CredentialStatus } from "../domain/types.ts";
import { LIFECYCLE_RULES, type LifecycleRule } from "../store/port.ts";
import { auditEvent } from "./audit.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

export interface Transition {
  rule: LifecycleRule;
  credentialId: string;
  accountId: string;
  type: Credential["type"];
  environment: Credential["environment"];
  description: string;
  from: CredentialStatus;
  to: CredentialStatus;
}

export interface SweepReport {
  asOf: Date;
  dryRun: boolean;
  transitions: Transition[];
}

export const ROTATION_RULES: readonly LifecycleRule[] = ["ROTATION_EXPIRED", "ROTATION_OLD_KEY_IDLE"];

const SYSTEM: RequestContext = { actor: { kind: "system" }, sourceIp: null };

/** What each rule does to a credential, for reports and audit events. */
const EFFECT: Record<LifecycleRule, { action: string; to: CredentialStatus | null; reason: string }> = {
  ROTATION_EXPIRED: { action: "credential.disabled", to: "DISABLED", reason: "ROTATED" },
  ROTATION_OLD_KEY_IDLE: { action: "credential.disabled", to: "DISABLED", reason: "ROTATED" },
  INACTIVITY_WARNING: { action: "credential.inactivity_warning", to: null, reason: "INACTIVITY" },
  INACTIVITY_DISABLE: { action: "credential.disabled", to: "DISABLED", reason: "INACTIVITY" },
  INACTIVITY_DELETE: { action: "credential.deleted", to: "DELETED", reason: "INACTIVITY" },
};

/**
 * The credential lifecycle of DESIGN §5: rotation overlaps end, idle credentials are warned,
 * disabled and finally deleted. Every transition is a guarded update, so sweeps running at once
 * (in one process or several) act on each credential once and write each audit event once.
 */
export class LifecycleService {
  readonly #runtime: ServiceRuntime;
  readonly #policy: LifecyclePolicy;
  readonly #batchSize: number;

  constructor(runtime: ServiceRuntime, policy: LifecyclePolicy, options: { batchSize?: number } = {}) {
    this.#runtime = runtime;
    this.#policy = policy;
    this.#batchSize = options.batchSize ?? 500;
  }

  async sweep(
    options: { asOf?: Date; dryRun?: boolean; rules?: readonly LifecycleRule[] } = {},
  ): Promise<SweepReport> {
    const asOf = options.asOf ?? this.#runtime.clock.now();
    const thresholds = lifecycleThresholds(this.#policy, asOf);
    const transitions: Transition[] = [];
    for (const rule of options.rules ?? LIFECYCLE_RULES) {
      let afterId: string | null = null;
      for (;;) {
        const batch = await this.#runtime.store.findLifecycleCandidates({
          rule,
          thresholds,
          afterId,
          limit: this.#batchSize,
        });
        for (const candidate of batch) {
          const effect = EFFECT[rule];
          const changed = options.dryRun
            ? candidate
            : await this.#runtime.store.applyLifecycleRule({
                rule,
                thresholds,
                credentialId: candidate.credentialId,
                audit: auditEvent(this.#runtime, SYSTEM, {
                  accountId: candidate.accountId,
                  action: effect.action,
                  targetType: "CREDENTIAL",
                  targetId: candidate.credentialId,
                  statusBefore: candidate.status,
                  statusAfter: effect.to ?? candidate.status,
                  reason: effect.reason,
                  at: asOf,
                }),
              });
          if (changed) {
            transitions.push({
              rule,
              credentialId: candidate.credentialId,
              accountId: candidate.accountId,
              type: candidate.type,
              environment: candidate.environment,
              description: candidate.description,
              from: candidate.status,
              to: effect.to ?? candidate.status,
            });
          }
        }
        const last = batch[batch.length - 1];
        if (batch.length < this.#batchSize || !last) break;
        afterId = last.credentialId;
      }
    }
    return { asOf, dryRun: options.dryRun ?? false, transitions };
  }
}
