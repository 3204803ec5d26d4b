import { parseArgs } from "node:util";
import { DEFAULT_SQLITE_FILE, manifestFile, type SeedTarget, seedStore } from "./seed-store.ts";

/**
 * `npm run bench:seed -- --credentials 1000000 --accounts 10000 --due 10000`: a store for the scale
 * benchmark. SQLite (`--file`, default data/bench-scale/scale.sqlite) unless `--database-url` or
 * BENCH_DATABASE_URL names a PostgreSQL database (then `--schema`, default bench_scale).
 */
const { values } = parseArgs({
  options: {
    credentials: { type: "string", default: "1000000" },
    accounts: { type: "string", default: "10000" },
    due: { type: "string", default: "10000" },
    keys: { type: "string", default: "10000" },
    "large-account": { type: "string", default: "10000" },
    file: { type: "string", default: DEFAULT_SQLITE_FILE },
    "database-url": { type: "string", default: process.env.BENCH_DATABASE_URL },
    schema: { type: "string", default: "bench_scale" },
    brand: { type: "string", default: "klarna" },
    pepper: { type: "string", default: "scale-benchmark-pepper-0123456789abcdef" },
  },
});

function count(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

const url = values["database-url"];
const target: SeedTarget = url
  ? { kind: "postgres", url, schema: values.schema as string }
  : { kind: "sqlite", file: values.file as string };
const started = performance.now();
const manifest = await seedStore(target, {
  credentials: count("credentials"),
  accounts: count("accounts"),
  due: count("due"),
  keys: count("keys"),
  largeAccount: count("large-account"),
  brand: values.brand as string,
  pepper: values.pepper as string,
  now: new Date(),
});
process.stdout.write(
  `seeded ${manifest.credentials} credentials over ${manifest.accounts} accounts (${manifest.duePool.length} due, ` +
    `${manifest.largeAccountCredentials} in the large account) into ${target.kind === "sqlite" ? target.file : `${target.schema} of ${url}`} ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s; manifest ${manifestFile(target)}\n`,
);
