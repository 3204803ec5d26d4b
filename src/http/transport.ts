import { isIP } from "node:net";
import { TLSSocket } from "node:tls";
import type { FastifyRequest } from "fastify";
import { allowListMatcher } from "../domain/ip-allow-list.ts";

export interface TransportOptions {
  trustedProxies: readonly string[];
  clientCertHeader: string;
}

/** Something that was presented but is not a certificate: it verifies as INVALID. */
const UNREADABLE = "unreadable";

/** A forwarded certificate: URL-encoded PEM (nginx `$ssl_client_escaped_cert`) or Envoy's XFCC `Cert="…"`. */
function forwardedCertificate(value: string | string[] | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (Array.isArray(value)) return UNREADABLE;
  // Several XFCC elements mean a client-supplied header was appended to: trust none of them.
  if ((value.match(/(?:^|[;,])\s*Cert=/gi) ?? []).length > 1) return UNREADABLE;
  const xfcc = /(?:^|[;,])\s*Cert="([^"]*)"/i.exec(value);
  try {
    return decodeURIComponent(xfcc ? (xfcc[1] ?? "") : value);
  } catch {
    return UNREADABLE;
  }
}

/**
 * Where a request's client certificate comes from: the TLS handshake on our own HTTPS listener,
 * or the configured header, believed only when the connection comes from a trusted proxy.
 */
export function clientCertificateSource(
  options: TransportOptions,
): (request: FastifyRequest) => Buffer | string | null {
  const trusted = allowListMatcher(options.trustedProxies);
  return (request) => {
    const socket = request.raw.socket;
    if (socket instanceof TLSSocket) {
      const peer = socket.getPeerCertificate(false);
      return peer && "raw" in peer && peer.raw ? peer.raw : null;
    }
    if (options.trustedProxies.length > 0 && trusted(socket.remoteAddress ?? "")) {
      return forwardedCertificate(request.headers[options.clientCertHeader]);
    }
    return null;
  };
}

/**
 * The client's address: from `X-Forwarded-For` (resolved by Fastify's trustProxy) or, when a
 * trusted proxy sends only `X-Real-IP`, from that; otherwise the connection's own address.
 */
export function clientAddressSource(
  options: Pick<TransportOptions, "trustedProxies">,
): (request: FastifyRequest) => string {
  const trusted = allowListMatcher(options.trustedProxies);
  return (request) => {
    const realIp = request.headers["x-real-ip"];
    if (
      request.headers["x-forwarded-for"] === undefined &&
      typeof realIp === "string" &&
      isIP(realIp.trim()) !== 0 &&
      options.trustedProxies.length > 0 &&
      trusted(request.raw.socket.remoteAddress ?? "")
    ) {
      return realIp.trim();
    }
    return request.ip;
  };
}

const LOOPBACK = allowListMatcher(["127.0.0.0/8", "::1/128", "::ffff:127.0.0.0/104"]);
/** Whether a connection comes from loopback: asked once per connection, not per request. */
const fromLoopback = new WeakMap<object, boolean>();
function isLoopback(socket: { remoteAddress?: string | undefined }): boolean {
  let known = fromLoopback.get(socket);
  if (known === undefined) {
    known = LOOPBACK(socket.remoteAddress ?? "");
    fromLoopback.set(socket, known);
  }
  return known;
}

/**
 * Whether a request arrived encrypted, so that a credential may travel on it: over our own HTTPS
 * listener, from loopback (local development), or from a trusted proxy that terminated TLS (it
 * says `X-Forwarded-Proto: https`, or says nothing).
 */
export function secureTransportSource(options: TransportOptions): (request: FastifyRequest) => boolean {
  const trusted = allowListMatcher(options.trustedProxies);
  return (request) => {
    const socket = request.raw.socket;
    if (socket instanceof TLSSocket) return true;
    if (isLoopback(socket)) return true;
    if (options.trustedProxies.length === 0 || !trusted(socket.remoteAddress ?? "")) return false;
    const proto = request.headers["x-forwarded-proto"];
    return proto === undefined || (typeof proto === "string" && proto.split(",")[0]?.trim() === "https");
  };
}

/** The `<Brand>-Partner-Account` header as sent (repeated headers joined, so they fail validation). */
export function partnerAccountHeaderSource(
  headerPrefix: string,
): (request: FastifyRequest) => string | undefined {
  const name = `${headerPrefix}-partner-account`.toLowerCase();
  return (request) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(",") : value;
  };
}

/** Every method a proxy may forward. */
export const ALL_METHODS = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT", "OPTIONS"];
