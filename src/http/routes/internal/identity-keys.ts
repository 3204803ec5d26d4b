import type { App, AppServices } from "../../types.ts";

/**
 * The public keys of identity tokens (`X-<Brand>-Identity`) as a JWKS. Public by nature: served
 * without a service token, so any upstream can fetch it (`jose.createRemoteJWKSet`).
 */
export function identityKeys(app: App, services: AppServices): void {
  app.get("/internal/v1/identity-keys", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("Cache-Control", "public, max-age=300");
    return services.identity.jwks();
  });
}
