import { type ChainCheck, verifyChain } from "../domain/audit-chain.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import {
  type Account,
  type AuditDetails,
  type AuditEvent,
  actorLabel,
  type Environment,
} from "../domain/types.ts";
import { fetchPage, type Paged } from "./paging.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

export interface AuditFacts {
  accountId: string;
  action: string;
  targetType: AuditEvent["targetType"];
  targetId: string;
  statusBefore?: string | null;
  statusAfter?: string | null;
  reason?: string | null;
  /** When it happened, if not now (a sweep evaluated as of another instant). */
  at?: Date;
  /** Facts beyond the columns (never a secret). */
  details?: AuditDetails;
}

/** Builds the audit event that a store change writes in the same transaction. */
export function auditEvent(runtime: ServiceRuntime, context: RequestContext, facts: AuditFacts): AuditEvent {
  return {
    eventId: newUuidV7(runtime.clock, runtime.random),
    accountId: facts.accountId,
    action: facts.action,
    actor: actorLabel(context.actor),
    targetType: facts.targetType,
    targetId: facts.targetId,
    sourceIp: context.sourceIp,
    statusBefore: facts.statusBefore ?? null,
    statusAfter: facts.statusAfter ?? null,
    reason: facts.reason ?? null,
    occurredAt: facts.at ?? runtime.clock.now(),
    ...(facts.details ? { details: facts.details } : {}),
  };
}

export class AuditService {
  readonly #runtime: ServiceRuntime;

  constructor(runtime: ServiceRuntime) {
    this.#runtime = runtime;
  }

  /**
   * What a TEST key may see of a trail: events about TEST credentials and TEST Partner Accounts
   * only (a page may then hold fewer events than asked; the next page token still goes on).
   */
  async #onlyVisible(
    accountId: string,
    paged: Paged<AuditEvent>,
    visible: readonly Environment[],
  ): Promise<Paged<AuditEvent>> {
    const seen = new Map<string, boolean>();
    const items: AuditEvent[] = [];
    for (const event of paged.items) {
      const key = `${event.targetType}:${event.targetId}`;
      let show = seen.get(key);
      if (show === undefined) {
        const environment =
          event.targetType === "CREDENTIAL"
            ? (await this.#runtime.store.findCredential(accountId, event.targetId))?.environment
            : event.targetType === "ACCOUNT" && event.targetId !== accountId
              ? (await this.#runtime.store.findAccount(event.targetId))?.environment
              : undefined;
        show = environment !== undefined && visible.includes(environment);
        seen.set(key, show);
      }
      if (show) items.push(event);
    }
    return { ...paged, items };
  }

  /** Whether an event's actor is one of the account's own keys or console users. */
  async #isOwnActor(accountId: string, actor: string): Promise<boolean> {
    if (actor.startsWith("user:")) {
      const user = await this.#runtime.store.findConsoleUserByEmail(actor.slice("user:".length));
      return user !== null && user.accountId === accountId;
    }
    return (await this.#runtime.store.findCredential(accountId, actor)) !== null;
  }

  /** Checks the account's hash chain of events; reports the first break. */
  async verifyChain(accountId: string): Promise<ChainCheck> {
    return verifyChain(await this.#runtime.store.readAuditChain(accountId));
  }

  /**
   * The account's events, newest first. A Partner Account reading its own trail sees the source
   * address only of what its own keys did: its Acquiring Partner's and the operator's addresses
   * are theirs.
   */
  async list(
    accountId: string,
    page: { pageSize: number; pageToken?: string },
    viewer?: Account,
    visible?: readonly Environment[],
  ): Promise<Paged<AuditEvent>> {
    const fetched = await fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.listAuditEvents({ accountId, ...p }),
      (e) => ({ at: e.occurredAt, id: e.eventId }),
    );
    const paged =
      visible?.includes("LIVE") === false ? await this.#onlyVisible(accountId, fetched, visible) : fetched;
    if (viewer?.kind !== "PARTNER_ACCOUNT") return paged;
    const own = new Map<string, boolean>();
    const items: AuditEvent[] = [];
    for (const event of paged.items) {
      // A refused attempt on the account's own key: the address is what its owner needs to know.
      if (event.actor === "anonymous") {
        items.push(event);
        continue;
      }
      let mine = own.get(event.actor);
      if (mine === undefined) {
        mine = await this.#isOwnActor(viewer.accountId, event.actor);
        own.set(event.actor, mine);
      }
      items.push(mine ? event : { ...event, sourceIp: null });
    }
    return { ...paged, items };
  }
}
