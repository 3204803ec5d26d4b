/**
 * Baseline A: the least a Fastify route costs over HTTP. `node --import tsx bench/bare-server.ts PORT`
 *
 * With `as-account` after the port, the same route answers what `GET /v1/account` answers on the
 * wire (the contract's response headers and an account's body, with values of the same length) and
 * does nothing else: what the service could reach if authenticating cost nothing.
 *
 * `GET /work/N` answers like `/` after N µs of busy work on the event loop: what a route that costs N
 * µs more than the bare one can serve on this machine, measured in the same run (the calibration).
 */
import Fastify from "fastify";

const asAccount = process.argv[3] === "as-account";
const app = Fastify({ logger: false });
const ACCOUNT_HEADERS = {
  "x-ratelimit-limit": "100000000, 100000000;w=1",
  "x-ratelimit-remaining": "99999999",
  "x-ratelimit-reset": "1",
  "klarna-mtls-enforcement": "REQUIRED_NOT_ENFORCED",
  "klarna-mtls-enforcement-deadline": "2027-02-28T04:21:40.676Z",
  "klarna-correlation-id": "95ee074e-47ee-405e-b9e3-5016d7f49970",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};
const ACCOUNT = {
  account_id: "krn:partner:global:account:live:0492W183",
  name: "Bench",
  type: "ACQUIRING_PARTNER",
  environment: "LIVE",
  created_at: "2026-11-30T04:21:40.676Z",
};
app.get("/", async (_request, reply) => {
  if (!asAccount) return { hello: "world" };
  reply.headers(ACCOUNT_HEADERS);
  return ACCOUNT;
});
app.get<{ Params: { us: string } }>("/work/:us", async (request) => {
  const until = process.hrtime.bigint() + BigInt(Math.round(Number(request.params.us) * 1000));
  while (process.hrtime.bigint() < until) {
    // busy: the CPU a route's own work would take
  }
  return { hello: "world" };
});
await app.listen({ host: "127.0.0.1", port: Number(process.argv[2]) });
process.once("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
