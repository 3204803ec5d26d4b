import type { Redis } from "ioredis";
import type { BusState, Invalidation, InvalidationBus } from "../store/invalidation-bus.ts";

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
