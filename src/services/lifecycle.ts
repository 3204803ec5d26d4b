import { type LifecyclePolicy, lifecycleThresholds } from "../domain/lifecycle-policy.ts";
import { LIFECYCLE_RULES, LIFECYCLE_TABLE, type LifecycleRule } from "../domain/lifecycle-rules.ts";
import type { Credential, CredentialStatus } from "../domain/types.ts";
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

export { ROTATION_RULES } from "../domain/lifecycle-rules.ts";

const SYSTEM: RequestContext = { actor: { kind: "system" }, sourceIp: null };

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

  /**
   * Applies the rules batch by batch: each batch is one transaction, and the event loop gets a turn
   * between batches, so a sweep of many transitions never holds up requests for long. An aborted
   * `signal` stops the sweep between two batches; the report then holds what was done.
   */
  async sweep(
    options: { asOf?: Date; dryRun?: boolean; rules?: readonly LifecycleRule[]; signal?: AbortSignal } = {},
  ): Promise<SweepReport> {
    const asOf = options.asOf ?? this.#runtime.clock.now();
    const thresholds = lifecycleThresholds(this.#policy, asOf);
    const dryRun = options.dryRun ?? false;
    const transitions: Transition[] = [];
    const stopped = (): boolean => options.signal?.aborted === true;
    for (const rule of options.rules ?? LIFECYCLE_RULES) {
      const { effect, auditAction } = LIFECYCLE_TABLE[rule];
      let after: Credential | null = null;
      while (!stopped()) {
        const batch: Credential[] = await this.#runtime.store.findLifecycleCandidates({
          rule,
          thresholds,
          after,
          limit: this.#batchSize,
        });
        const changed = dryRun
          ? batch
          : await this.#runtime.store.applyLifecycleRule({
              rule,
              thresholds,
              changes: batch.map((candidate) => ({
                credentialId: candidate.credentialId,
                audit: auditEvent(this.#runtime, SYSTEM, {
                  accountId: candidate.accountId,
                  action: auditAction,
                  targetType: "CREDENTIAL",
                  targetId: candidate.credentialId,
                  statusBefore: candidate.status,
                  statusAfter: effect.to ?? candidate.status,
                  reason: effect.reason,
                  at: asOf,
                }),
              })),
            });
        const before = new Map(batch.map((candidate) => [candidate.credentialId, candidate.status]));
        for (const credential of changed) {
          const from = before.get(credential.credentialId) ?? credential.status;
          transitions.push({
            rule,
            credentialId: credential.credentialId,
            accountId: credential.accountId,
            type: credential.type,
            environment: credential.environment,
            description: credential.description,
            from,
            to: effect.to ?? from,
          });
        }
        after = batch[batch.length - 1] ?? null;
        if (batch.length < this.#batchSize || after === null) break;
        await yieldToEventLoop();
      }
    }
    return { asOf, dryRun, transitions };
  }
}

/** Lets pending I/O (requests) run before the next batch. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
