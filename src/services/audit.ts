import { type ChainCheck, verifyChain } from "../domain/audit-chain.ts";
import type { AuditEventFilter } from "../domain/audit-filter.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import type { PagePosition } from "../domain/page-token.ts";
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

/** How many events an export reads from the store at a time. */
const EXPORT_BATCH = 500;

const auditPosition = (event: AuditEvent): { at: Date; id: string } => ({
  at: event.occurredAt,
  id: event.eventId,
});

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
    events: readonly AuditEvent[],
    visible: readonly Environment[],
  ): Promise<AuditEvent[]> {
    const seen = new Map<string, boolean>();
    const items: AuditEvent[] = [];
    for (const event of events) {
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
    return items;
  }

  /**
   * The events as `viewer` and a key limited to `visible` environments may see them: a Partner
   * Account reading its own trail sees the source address only of what its own keys did.
   */
  async #asSeenBy(
    accountId: string,
    events: readonly AuditEvent[],
    viewer: Account | undefined,
    visible: readonly Environment[] | undefined,
  ): Promise<AuditEvent[]> {
    const shown =
      visible?.includes("LIVE") === false ? await this.#onlyVisible(accountId, events, visible) : events;
    if (viewer?.kind !== "PARTNER_ACCOUNT") return [...shown];
    const own = new Map<string, boolean>();
    const items: AuditEvent[] = [];
    for (const event of shown) {
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
    return items;
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
   * The account's events that match `filter` (all of them without one), newest first. A Partner
   * Account reading its own trail sees the source address only of what its own keys did: its
   * Acquiring Partner's and the operator's addresses are theirs.
   */
  async list(
    accountId: string,
    page: { pageSize: number; pageToken?: string | undefined },
    viewer?: Account,
    visible?: readonly Environment[],
    filter: AuditEventFilter = {},
  ): Promise<Paged<AuditEvent>> {
    const fetched = await fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.listAuditEvents({ ...filter, accountId, ...p }),
      auditPosition,
    );
    return { ...fetched, items: await this.#asSeenBy(accountId, fetched.items, viewer, visible) };
  }

  /**
   * Every event that matches `filter`, newest first, read from the store `batchSize` at a time
   * (an export of any length): each batch as `list` shows it to `viewer`, until none is left.
   */
  async *listAll(
    accountId: string,
    options: {
      filter?: AuditEventFilter;
      viewer?: Account | undefined;
      visible?: readonly Environment[] | undefined;
      batchSize?: number;
    } = {},
  ): AsyncGenerator<AuditEvent[], void, undefined> {
    const limit = options.batchSize ?? EXPORT_BATCH;
    let after: PagePosition | null = null;
    for (;;) {
      const rows = await this.#runtime.store.listAuditEvents({ ...options.filter, accountId, after, limit });
      const last = rows[rows.length - 1];
      if (!last) return;
      const items = await this.#asSeenBy(accountId, rows, options.viewer, options.visible);
      if (items.length > 0) yield items;
      if (rows.length < limit) return;
      const position = auditPosition(last);
      after = { at: position.at.toISOString(), id: position.id };
    }
  }
}
