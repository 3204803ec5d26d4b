import type { Clock, Random } from "../domain/runtime.ts";
import type { Actor, Environment } from "../domain/types.ts";
import type { Store } from "../store/port.ts";

/** What every service is built from. */
export interface ServiceRuntime {
  store: Store;
  clock: Clock;
  random: Random;
}

/** The idempotency mark of a change that creates `resourceId`, when the request holds a key. */
export function idempotencyMark(
  context: RequestContext,
  resourceId: string,
): { keyHash: string; reservedAt: Date; resourceId: string } | undefined {
  return context.idempotency ? { ...context.idempotency, resourceId } : undefined;
}

/** Who is asking, and from where: recorded on every audit event. */
export interface RequestContext {
  actor: Actor;
  sourceIp: string | null;
  /**
   * The environments the actor's key may see and act on: a TEST key only TEST objects; a LIVE key
   * (and the operator, when absent) both.
   */
  environments?: readonly Environment[];
  /** What the actor's key may do (and so hand on); absent or null: everything. */
  permissions?: readonly string[] | null;
  /** The request's idempotency reservation, marked applied by the change it makes. */
  idempotency?: { keyHash: string; reservedAt: Date } | null;
}
