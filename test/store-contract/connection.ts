import { expect, it } from "vitest";
import { accountId } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** The store as a resource: it answers a readiness probe, and once closed it does no more work. */
export const connection = contractArea("connection", "connection", (ctx) => {
  const { store } = ctx;

  it("ping resolves", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it("close ends the store: it resolves, and work asked of it afterwards is refused", async () => {
    const own = await ctx.open();
    await own.ping();
    await expect(own.close()).resolves.toBeUndefined();
    await expect(own.ping()).rejects.toThrow();
    await expect(own.findAccount(accountId(1))).rejects.toThrow();
  });
});
