import type { Redis } from "ioredis";

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

/** Redis pub/sub between instances; every instance also applies its own events at once. */
export class RedisBus implements InvalidationBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #handlers: ((event: Invalidation) => void)[] = [];
  readonly #reconnectHandlers: (() => void)[] = [];
  #up = false;

  readonly #channel: string;

  constructor(publisher: Redis, subscriber: Redis, options: { channel: string }) {
    this.#channel = options.channel;
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    subscriber.on("message", (_channel: string, message: string) => {
      try {
        this.#deliver(JSON.parse(message) as Invalidation);
      } catch {
        // not ours
      }
    });
    subscriber.on("ready", () => {
      subscriber.subscribe(this.#channel).then(
        () => {
          this.#up = true;
          for (const handler of this.#reconnectHandlers) handler();
        },
        () => {
          this.#up = false;
        },
      );
    });
    for (const event of ["close", "end", "error", "reconnecting"]) {
      subscriber.on(event, () => {
        this.#up = false;
      });
    }
  }

  publish(event: Invalidation): void {
    this.#deliver(event);
    this.#publisher.publish(this.#channel, JSON.stringify(event)).catch(() => undefined);
  }

  subscribe(handler: (event: Invalidation) => void): void {
    this.#handlers.push(handler);
  }

  onReconnect(handler: () => void): void {
    this.#reconnectHandlers.push(handler);
  }

  state(): BusState {
    return this.#up ? "UP" : "DOWN";
  }

  async close(): Promise<void> {
    this.#subscriber.disconnect();
    this.#publisher.disconnect();
  }

  #deliver(event: Invalidation): void {
    for (const handler of this.#handlers) handler(event);
  }
}
