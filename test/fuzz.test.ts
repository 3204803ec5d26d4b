import { describe, it } from "vitest";
import { fuzzRoutes } from "./fuzz/route-fuzz.ts";

// A bounded run on every `npm test`; `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED).
describe("every route of both listeners under random input", () => {
  it("never answers 5xx, and every error is the contract's body", async () => {
    await fuzzRoutes({ runs: 1000 });
  }, 120_000);
});
