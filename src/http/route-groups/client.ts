import { withTypes } from "../fastify.ts";
import { registerTlsRequirement } from "../plugins/require-tls.ts";
import { createClientSession } from "../routes/client/create-client-session.ts";
import { preflightClientSession } from "../routes/client/preflight-client-session.ts";
import { verifyClientSession } from "../routes/client/verify-client-session.ts";
import type { App, AppOptions } from "../types.ts";

/** Browser sessions with a Client ID: no API key, CORS answered per request. */
export async function clientSessionRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    for (const route of [preflightClientSession, createClientSession, verifyClientSession])
      route(scope, services);
  });
}
