import { describe, expect, it } from "vitest";
import { at, DAY, HOUR, MINUTE, makeIdempotency } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Idempotency records: reserved, completed with the answer, released, replaced once expired or abandoned, purged. */
export const idempotency = contractArea("idempotency", "idempotency keys", (ctx) => {
  const { store } = ctx;

  it("reserve returns null first, then the live PENDING record", async () => {
    const record = makeIdempotency("key-1");
    expect(await store.reserveIdempotencyKey(record)).toBeNull();
    const retry = makeIdempotency("key-1", {
      requestHash: "request-hash-2",
      createdAt: at(MINUTE),
      expiresAt: at(MINUTE + DAY),
    });
    expect(await store.reserveIdempotencyKey(retry)).toEqual(record);
    expect(await store.reserveIdempotencyKey(makeIdempotency("key-2"))).toBeNull();
  });

  it("complete stores the response: a later reserve returns it as COMPLETE", async () => {
    const record = makeIdempotency("key-1");
    await store.reserveIdempotencyKey(record);
    await store.completeIdempotencyKey({
      keyHash: "key-1",
      responseStatus: 201,
      responseCiphertext: "v1.nonce.ciphertext",
    });
    expect(await store.reserveIdempotencyKey(makeIdempotency("key-1", { createdAt: at(HOUR) }))).toEqual({
      ...record,
      state: "COMPLETE",
      responseStatus: 201,
      responseCiphertext: "v1.nonce.ciphertext",
    });
  });

  it("release deletes only PENDING records", async () => {
    await store.reserveIdempotencyKey(makeIdempotency("pending"));
    await store.releaseIdempotencyKey("pending");
    expect(await store.reserveIdempotencyKey(makeIdempotency("pending"))).toBeNull();

    const complete = makeIdempotency("complete");
    await store.reserveIdempotencyKey(complete);
    await store.completeIdempotencyKey({
      keyHash: "complete",
      responseStatus: 200,
      responseCiphertext: "c",
    });
    await store.releaseIdempotencyKey("complete");
    expect(await store.reserveIdempotencyKey(makeIdempotency("complete"))).toMatchObject({
      state: "COMPLETE",
      responseStatus: 200,
      responseCiphertext: "c",
    });

    await expect(store.releaseIdempotencyKey("never-reserved")).resolves.toBeUndefined();
  });

  it("a record that expired by the new record's created_at is replaced", async () => {
    const old = makeIdempotency("key-1", { createdAt: at(0), expiresAt: at(DAY) });
    await store.reserveIdempotencyKey(old);
    await store.completeIdempotencyKey({
      keyHash: "key-1",
      responseStatus: 201,
      responseCiphertext: "old",
    });

    const stillLive = makeIdempotency("key-1", { createdAt: at(DAY - 1), expiresAt: at(2 * DAY) });
    expect(await store.reserveIdempotencyKey(stillLive)).toMatchObject({ requestHash: old.requestHash });

    const replacement = makeIdempotency("key-1", {
      requestHash: "request-hash-new",
      createdAt: at(DAY),
      expiresAt: at(2 * DAY),
    });
    expect(await store.reserveIdempotencyKey(replacement)).toBeNull();
    const probe = makeIdempotency("key-1", { createdAt: at(DAY + 1), expiresAt: at(3 * DAY) });
    expect(await store.reserveIdempotencyKey(probe)).toEqual(replacement);
  });

  it("a PENDING reservation made before abandonedBefore is replaced; an APPLIED or COMPLETE one never is", async () => {
    await store.reserveIdempotencyKey(makeIdempotency("abandoned", { createdAt: at(0) }));
    const takeOver = makeIdempotency("abandoned", {
      requestHash: "request-hash-2",
      createdAt: at(2 * MINUTE),
    });
    // Not yet abandoned: reserved at the very instant the cut-off names.
    expect(await store.reserveIdempotencyKey(takeOver, at(0))).toMatchObject({ createdAt: at(0) });
    expect(await store.reserveIdempotencyKey(takeOver, at(MINUTE))).toBeNull();
    expect(await store.reserveIdempotencyKey(makeIdempotency("abandoned", { createdAt: at(HOUR) }))).toEqual(
      takeOver,
    );

    await store.reserveIdempotencyKey(makeIdempotency("answered", { createdAt: at(0) }));
    await store.completeIdempotencyKey({ keyHash: "answered", responseStatus: 201, responseCiphertext: "c" });
    const late = makeIdempotency("answered", { createdAt: at(2 * MINUTE) });
    expect(await store.reserveIdempotencyKey(late, at(MINUTE))).toMatchObject({
      state: "COMPLETE",
      createdAt: at(0),
    });
  });

  it("completing or releasing an unknown key changes nothing", async () => {
    await store.completeIdempotencyKey({ keyHash: "unknown", responseStatus: 200, responseCiphertext: "c" });
    expect(await store.reserveIdempotencyKey(makeIdempotency("unknown"))).toBeNull();
  });

  describe("deleteExpiredIdempotencyKeys", () => {
    it("removes every record expired by now, in any state, and says how many", async () => {
      await store.reserveIdempotencyKey(makeIdempotency("pending-expired", { expiresAt: at(HOUR) }));
      await store.reserveIdempotencyKey(makeIdempotency("complete-expired", { expiresAt: at(2 * HOUR) }));
      await store.completeIdempotencyKey({
        keyHash: "complete-expired",
        responseStatus: 201,
        responseCiphertext: "c",
      });
      const live = makeIdempotency("live", { expiresAt: at(2 * HOUR + 1) });
      await store.reserveIdempotencyKey(live);

      expect(await store.deleteExpiredIdempotencyKeys(at(HOUR - 1))).toBe(0);
      expect(await store.deleteExpiredIdempotencyKeys(at(2 * HOUR))).toBe(2);
      expect(await store.deleteExpiredIdempotencyKeys(at(2 * HOUR))).toBe(0);

      // Reserving at the base instant (before any expiry) shows what is still held.
      const probe = (keyHash: string) =>
        store.reserveIdempotencyKey(makeIdempotency(keyHash, { requestHash: "probe" }));
      expect(await probe("live")).toEqual(live);
      expect(await probe("pending-expired")).toBeNull();
      expect(await probe("complete-expired")).toBeNull();
    });
  });
});
