import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { createSecureContext, rootCertificates } from "node:tls";
import { hostOf, isPublicAddress } from "../domain/webhook-targets.ts";
import type {
  TargetVetting,
  WebhookRequest,
  WebhookResponse,
  WebhookTransport,
} from "../services/webhook-transport.ts";

export interface HttpsTransportOptions {
  /** `WEBHOOK_ALLOW_INSECURE_TARGETS`: http, and private or loopback addresses, allowed. */
  allowInsecure: boolean;
  /** Certificates trusted besides the public roots (`WEBHOOK_CA_FILE`); verification stays on. */
  extraCaPem?: string | null;
  /** How a name is resolved; the system resolver by default (tests may pin one). */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

const REFUSED = "refused: the target resolves to a private, loopback, link-local or metadata address";

function systemResolve(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}

/**
 * Webhooks over HTTP(S) with Node's own clients. The target's name is resolved by the transport's
 * lookup, every address checked, and the connection made to the address checked: what was vetted
 * is what is reached, whatever the name resolves to a moment later. Redirects are not followed; a
 * new connection per attempt.
 */
export function httpsTransport(options: HttpsTransportOptions): WebhookTransport {
  const resolve = options.resolve ?? systemResolve;
  // One TLS context for every attempt: building one per connection parses every root certificate
  // again (with an extra CA, tens of milliseconds each time).
  const secureContext = createSecureContext({
    minVersion: "TLSv1.2",
    ...(options.extraCaPem ? { ca: [...rootCertificates, options.extraCaPem] } : {}),
  });

  /** The addresses of `host` that may be reached (all of them, or a refusal naming why not). */
  const vetted = async (host: string): Promise<LookupAddress[]> => {
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
    if (addresses.length === 0) throw new Error(`${host} does not resolve`);
    if (!options.allowInsecure && addresses.some((a) => !isPublicAddress(a.address)))
      throw new Error(REFUSED);
    return addresses;
  };

  const lookup: LookupFunction = (host, lookupOptions, callback) => {
    vetted(host).then(
      (addresses) => {
        const chosen = addresses[0] as LookupAddress;
        if (lookupOptions.all) callback(null, [chosen]);
        else callback(null, chosen.address, chosen.family);
      },
      (error: Error) => callback(Object.assign(error, { code: "EWEBHOOKTARGET" }), "", 0),
    );
  };

  return {
    async vet(url: URL): Promise<TargetVetting> {
      try {
        await vetted(hostOf(url));
        return { ok: true };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          problem:
            message === REFUSED
              ? "must not resolve to a private, loopback, link-local or metadata address"
              : "does not resolve",
        };
      }
    },

    async send(request: WebhookRequest, signal: AbortSignal): Promise<WebhookResponse> {
      const url = new URL(request.url);
      const host = hostOf(url);
      if (url.protocol !== "https:" && !(options.allowInsecure && url.protocol === "http:"))
        return { kind: "FAILED", error: "refused: not an https URL" };
      // An address written in the URL is never looked up, so it is checked here.
      if (isIP(host) && !options.allowInsecure && !isPublicAddress(host))
        return { kind: "FAILED", error: REFUSED };
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      return new Promise<WebhookResponse>((settle) => {
        const outgoing = send(
          url,
          {
            method: "POST",
            headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
            lookup,
            agent: false,
            signal,
            ...(url.protocol === "https:" ? { secureContext } : {}),
          },
          (response: IncomingMessage) => {
            settle({ kind: "ANSWERED", status: response.statusCode ?? 0 });
            // The answer's body is not read: the status is all that counts.
            response.destroy();
          },
        );
        outgoing.on("error", (error: NodeJS.ErrnoException) => {
          settle({
            kind: "FAILED",
            error: signal.aborted ? "timed out" : error.message || error.code || "connection failed",
          });
        });
        outgoing.end(request.body);
      });
    },
  };
}
