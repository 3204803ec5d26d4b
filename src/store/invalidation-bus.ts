/**
 * What other instances must forget: one credential (by lookup id, with its account, whose credential
 * lists it is in), everything of an account, or only the credential lists of some accounts (a change
 * no authentication reads: a new key, a description, last uses).
 */
export type Invalidation =
  /** `accountId` is absent only in a message from an instance of an earlier version. */
  | { kind: "credential"; lookupId: string; accountId?: string }
  | { kind: "account"; accountId: string }
  | { kind: "credential-lists"; accountIds: readonly string[] };

export type BusState = "LOCAL" | "UP" | "DOWN";

export interface InvalidationBus {
  publish(event: Invalidation): void;
  subscribe(handler: (event: Invalidation) => void): void;
  /** Called whenever the bus (re)connects: messages may have been missed meanwhile. */
  onReconnect(handler: () => void): void;
  state(): BusState;
  close(): Promise<void>;
}

/** One instance, no Redis: invalidations stay in process. */
export class LocalBus implements InvalidationBus {
  readonly #handlers: ((event: Invalidation) => void)[] = [];

  publish(event: Invalidation): void {
    for (const handler of this.#handlers) handler(event);
  }

  subscribe(handler: (event: Invalidation) => void): void {
    this.#handlers.push(handler);
  }

  onReconnect(): void {}

  state(): BusState {
    return "LOCAL";
  }

  async close(): Promise<void> {}
}
