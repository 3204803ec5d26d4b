import { AppError } from "../../domain/errors.ts";
import { secureTransportSource, type TransportOptions } from "../transport.ts";
import type { App } from "../types.ts";

export const TLS_REQUIRED_MESSAGE =
  "Use HTTPS: credentials are never accepted over plain HTTP (except from loopback or a trusted TLS-terminating proxy)";

/**
 * Credentials must not travel in clear: on the plain HTTP listener, every request of the scope is
 * refused before anything of it is read, unless it comes from loopback or a trusted proxy that
 * terminated TLS.
 */
export function registerTlsRequirement(app: App, transport: TransportOptions): void {
  const secure = secureTransportSource(transport);
  app.addHook("onRequest", (request, _reply, done) => {
    done(secure(request) ? undefined : new AppError("TLS_REQUIRED", TLS_REQUIRED_MESSAGE));
  });
}
