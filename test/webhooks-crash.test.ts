import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PartnerClient } from "@partner-credentials/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardThroughProcess, partnerApi } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { freePort, type ServerProcess, startServerProcess } from "./process.ts";
import {
  type Receiver,
  type ReceiverCertificate,
  receiverCertificate,
  startReceiver,
  verifyDelivery,
} from "./webhook-receiver.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let certificate: ReceiverCertificate;
let receiver: Receiver;
let dataDir: string;

beforeAll(async () => {
  certificate = receiverCertificate();
  receiver = await startReceiver(certificate);
  dataDir = mkdtempSync(join(tmpdir(), "webhooks-crash-"));
});

afterAll(async () => {
  await receiver.close();
  certificate.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `partnerctl serve` over the same data directory, with the dispatcher running every `interval`. */
function serve(port: number, interval: string): Promise<ServerProcess> {
  return startServerProcess({
    port,
    dataDir,
    env: {
      ADMIN_TOKEN,
      PEPPER,
      TLS_PORT: "off",
      WEBHOOK_ALLOW_INSECURE_TARGETS: "true",
      WEBHOOK_CA_FILE: certificate.caFile,
      WEBHOOK_DISPATCH_INTERVAL: interval,
    },
  });
}

/** Kills the process group outright, as a crash or `kill -9` would. */
async function kill(server: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  if (server.child.pid) process.kill(-server.child.pid, "SIGKILL");
  await exited;
}

const deliveriesOf = (type: string) => receiver.received.filter((d) => d.payload.type === type);

describe("webhooks across a crash", () => {
  it("a change committed before a kill -9 is delivered exactly once after the restart", async () => {
    const port = await freePort();
    // The dispatcher's first run would come only after an hour: the change is made, then the crash.
    const first = await serve(port, "PT1H");
    let secret: string;
    let credentialId: string;
    try {
      const partner = await onboardThroughProcess(first, "Crashing Partner");
      // Registered through the partners' SDK, as a partner would.
      const client = new PartnerClient({ baseUrl: first.url, apiKey: partner.apiKey });
      const endpoint = await client.createWebhookEndpoint({
        url: receiver.url,
        events: ["credential.created"],
      });
      expect((await client.listWebhookEndpoints()).map((e) => e.endpoint_id)).toEqual([endpoint.endpoint_id]);
      secret = String(endpoint.secret);
      const created = await partnerApi(first, partner.apiKey, "POST", "/v1/account/credentials", {
        type: "API",
        environment: "LIVE",
      });
      expect(created.status).toBe(200);
      credentialId = String(created.body.credential_id);
    } finally {
      await kill(first);
    }
    expect(deliveriesOf("credential.created")).toHaveLength(0);

    const second = await serve(port, "PT0.2S");
    try {
      const deadline = Date.now() + 15_000;
      while (deliveriesOf("credential.created").length === 0 && Date.now() < deadline) await sleep(100);
      // Several dispatcher runs later, still one.
      await sleep(1_500);
    } finally {
      await second.stop();
    }
    const delivered = deliveriesOf("credential.created");
    expect(delivered).toHaveLength(1);
    expect(second.output()).not.toContain(secret.slice("whsec_".length));
    expect(delivered[0]?.payload.data.credential_id).toBe(credentialId);
    verifyDelivery(secret, delivered[0] as (typeof delivered)[number]);

    // Once delivered, a further restart sends nothing again.
    const third = await serve(port, "PT0.2S");
    try {
      await sleep(1_500);
    } finally {
      await third.stop();
    }
    expect(deliveriesOf("credential.created")).toHaveLength(1);
  }, 90_000);
});
