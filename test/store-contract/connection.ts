import { expect, it } from "vitest";
import { contractArea } from "./harness.ts";

/** The store as a resource: it answers a readiness probe. */
export const connection = contractArea("connection", "connection", (ctx) => {
  const { store } = ctx;

  it("ping resolves", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
