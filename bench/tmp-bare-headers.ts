import Fastify from "fastify";

const app = Fastify({ logger: false });
const many = process.env.MANY === "1";
app.get("/", (_req, reply) => {
  if (many)
    reply.headers({
      "x-ratelimit-limit": "100000000, 100000000;w=1",
      "x-ratelimit-remaining": "99999999",
      "x-ratelimit-reset": "1",
      "klarna-mtls-enforcement": "REQUIRED_NOT_ENFORCED",
      "klarna-mtls-enforcement-deadline": "2027-02-28T04:21:40.676Z",
      "klarna-correlation-id": "95ee074e-47ee-405e-b9e3-5016d7f49970",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
  return { hello: "world" };
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
