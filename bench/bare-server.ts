/**
 * Baseline A: the least a Fastify route costs over HTTP. `node --import tsx bench/bare-server.ts PORT`
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ hello: "world" }));
await app.listen({ host: "127.0.0.1", port: Number(process.argv[2]) });
process.once("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
