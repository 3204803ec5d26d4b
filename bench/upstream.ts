/**
 * The gateway's upstream: answers every request 200 `{"ok":true}` with plain node:http, so that as
 * little of the machine as possible goes to it. `node --import tsx bench/upstream.ts PORT`
 */
import { createServer } from "node:http";

const body = JSON.stringify({ ok: true });
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2]), "127.0.0.1");
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
