import { test as base } from "vitest";
import type { Store } from "../src/store/port.ts";
import { type Harness, type OnboardedPartner, onboardAcquiringPartner, startHarness } from "./harness.ts";

/** How the `harness` fixture starts the service: settings besides the harness's, a store wrapper. */
export interface HarnessOptions {
  env?: Record<string, string>;
  wrapStore?: (store: Store) => Store;
}

/**
 * The suites' `test`: a test names the fixtures it needs, and only those are set up.
 * - `harness`: the whole service (`startHarness`), closed after the test, pass or fail;
 * - `partner`: an Acquiring Partner onboarded on that harness;
 * - `startHarness`: starts more harnesses (or one with settings of the test's own), closed after the test;
 * - `harnessOptions`: how `harness` starts; a file or `describe` sets its own with
 *   `test.override({ harnessOptions: { env: { … } } })`.
 */
export const test = base
  .extend("harnessOptions", {} as HarnessOptions)
  // biome-ignore lint/correctness/noEmptyPattern: Vitest reads what a fixture needs from this pattern.
  .extend("startHarness", ({}, { onCleanup }) => {
    const started: Harness[] = [];
    onCleanup(async () => {
      await Promise.all(started.map((h) => h.close()));
    });
    return async (env: Record<string, string> = {}, options: Omit<HarnessOptions, "env"> = {}) => {
      const h = await startHarness(env, options);
      started.push(h);
      return h;
    };
  })
  .extend("harness", ({ harnessOptions, startHarness }): Promise<Harness> => {
    const { env, ...options } = harnessOptions;
    return startHarness(env, options);
  })
  .extend("partner", ({ harness }): Promise<OnboardedPartner> => onboardAcquiringPartner(harness));

export const it = test;
