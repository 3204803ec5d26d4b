/** What other instances must forget: one credential (by lookup id) or everything of an account. */
export type Invalidation = { kind: "credential"; lookupId: string } | { kind: "account"; accountId: string };

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
