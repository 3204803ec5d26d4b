import { newUuidV7 } from "../domain/identifiers.ts";
import type { AuditEvent } from "../domain/types.ts";
import {
  certificateNoticeKey,
  certificateNoticeWindows,
  mtlsEnforcedNoticeKey,
  NOTICE_ACTIONS,
  ROTATION_ENDING_NOTICE_MS,
  rotationEndingNoticeKey,
} from "../domain/webhook-events.ts";
import type { ServiceRuntime } from "./runtime.ts";

/** How far back an enforcement that began is still announced (a service down meanwhile, say). */
const ENFORCED_LOOKBACK_MS = 24 * 3_600_000;

/**
 * The lifecycle events that no change causes, only time: a rotation's overlap about to end
 * (`credential.rotation_ending`, 1 h before), a certificate about to expire (`certificate.expiring`,
 * 30 and 7 days before) and a scheduled mTLS enforcement that began (`mtls.enforced`). Each is
 * recorded once, by its key, as an audit event whose webhook messages go to the outbox with it.
 */
export class LifecycleNotices {
  readonly #runtime: ServiceRuntime;
  readonly #limit: number;

  constructor(runtime: ServiceRuntime, options: { batchSize?: number } = {}) {
    this.#runtime = runtime;
    this.#limit = options.batchSize ?? 500;
  }

  /** Records the notices due as of now that were not given yet; returns how many. */
  async record(): Promise<number> {
    const now = this.#runtime.clock.now();
    const candidates = await this.#runtime.store.findNoticeCandidates({
      now,
      rotationsEndingBy: new Date(now.getTime() + ROTATION_ENDING_NOTICE_MS),
      certificateWindows: certificateNoticeWindows(now),
      enforcedSince: new Date(now.getTime() - ENFORCED_LOOKBACK_MS),
      limit: this.#limit,
    });
    const notices: { noticeKey: string; audit: AuditEvent }[] = [];
    for (const credential of candidates.rotations) {
      const expiresAt = credential.expiresAt?.toISOString() ?? "";
      notices.push({
        noticeKey: rotationEndingNoticeKey(credential.credentialId, expiresAt),
        audit: this.#event(now, {
          accountId: credential.accountId,
          action: NOTICE_ACTIONS.rotationEnding,
          targetType: "CREDENTIAL",
          targetId: credential.credentialId,
          details: {
            expires_at: expiresAt,
            ...(credential.rotatedTo ? { successor_id: credential.rotatedTo } : {}),
          },
        }),
      });
    }
    for (const { certificate, days } of candidates.certificates) {
      notices.push({
        noticeKey: certificateNoticeKey(certificate.certificateId, days),
        audit: this.#event(now, {
          accountId: certificate.accountId,
          action: NOTICE_ACTIONS.certificateExpiring,
          targetType: "CLIENT_CERTIFICATE",
          targetId: certificate.certificateId,
          details: { not_after: certificate.notAfter.toISOString(), days_before: String(days) },
        }),
      });
    }
    for (const enforcement of candidates.enforcements) {
      const from = enforcement.enforcedFrom.toISOString();
      notices.push({
        noticeKey: mtlsEnforcedNoticeKey(enforcement.accountId, from),
        audit: this.#event(now, {
          accountId: enforcement.accountId,
          action: NOTICE_ACTIONS.mtlsEnforced,
          targetType: "ACCOUNT",
          targetId: enforcement.accountId,
          details: { enforced_from: from },
        }),
      });
    }
    return this.#runtime.store.recordNotices(notices);
  }

  #event(
    now: Date,
    facts: Pick<AuditEvent, "accountId" | "action" | "targetType" | "targetId"> & {
      details: Record<string, string>;
    },
  ): AuditEvent {
    return {
      eventId: newUuidV7(this.#runtime.clock, this.#runtime.random),
      actor: "system",
      sourceIp: null,
      statusBefore: null,
      statusAfter: null,
      reason: null,
      occurredAt: now,
      ...facts,
    };
  }
}
