/** `npm run fuzz`: the route fuzz test with many more cases (FUZZ_RUNS, default 50000; FUZZ_SEED). */
import { fuzzRoutes } from "./route-fuzz.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 50000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const started = Date.now();
await fuzzRoutes({ runs, seed });
process.stdout.write(
  `${runs} random requests over every route: no 5xx, every error in the contract's body (${Date.now() - started} ms)\n`,
);
