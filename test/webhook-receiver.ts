import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { vi } from "vitest";
import { opensslSelfSigned } from "./openssl.ts";

/** A self-signed certificate for `localhost` and 127.0.0.1, made by openssl; `caFile` holds it. */
export interface ReceiverCertificate {
  certPem: string;
  keyPem: string;
  /** The certificate as a file, for `WEBHOOK_CA_FILE`. */
  caFile: string;
  remove(): void;
}

export function receiverCertificate(): ReceiverCertificate {
  const dir = mkdtempSync(join(tmpdir(), "webhook-receiver-"));
  const made = opensslSelfSigned("localhost", { subjectAltName: "DNS:localhost,IP:127.0.0.1" });
  const caFile = join(dir, "cert.pem");
  writeFileSync(caFile, made.certPem);
  return { ...made, caFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body. */
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

export interface Receiver {
  /** `https://localhost:<port>/hooks`. */
  url: string;
  received: ReceivedWebhook[];
  /** What the receiver answers from now on (200 by default). */
  answer(status: number): void;
  close(): Promise<void>;
}

/** A local HTTPS receiver that records every request and answers with the status set. */
export async function startReceiver(certificate: ReceiverCertificate): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body, payload: JSON.parse(body) as ReceivedWebhook["payload"] });
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `https://localhost:${port}/hooks`,
    received,
    answer: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Verifies a delivery with the `standardwebhooks` package (an implementation independent of the
 * service's), as a receiver whose clock reads `now` would: throws when it does not verify.
 */
export function verifyDelivery(secret: string, delivery: ReceivedWebhook, now: Date = new Date()): unknown {
  vi.useFakeTimers({ toFake: ["Date"], now });
  try {
    const headers = {
      "webhook-id": String(delivery.headers["webhook-id"]),
      "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
      "webhook-signature": String(delivery.headers["webhook-signature"]),
    };
    return new Webhook(secret).verify(delivery.body, headers);
  } finally {
    vi.useRealTimers();
  }
}
