import { withTypes } from "../fastify.ts";
import { registerServiceAuth } from "../plugins/service-auth.ts";
import { authorize } from "../routes/internal/authorize.ts";
import { identityKeys } from "../routes/internal/identity-keys.ts";
import { renderDenial } from "../routes/internal/render-denial.ts";
import { reportLeaks } from "../routes/internal/report-leaks.ts";
import { type App, type AppOptions, headerPrefix } from "../types.ts";

/**
 * The provider's endpoints (`/internal/*`): authorization decisions and denial pages for its
 * proxies (service tokens), and the public keys its services verify identity tokens with.
 */
export async function internalRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  const prefix = headerPrefix(options.brand);
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerServiceAuth(scope, services.serviceTokens);
    // Proxies may pass the original request's Content-Type along; the body is never read.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { bodyLimit: 64 * 1024 }, (_request, _payload, done) => done(null));
    authorize(scope, services, { transport: options.transport, headerPrefix: prefix });
    renderDenial(scope, { headerPrefix: prefix });
  });
  // Leak reports from the provider's own scanners: service tokens too, but a JSON body.
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerServiceAuth(scope, services.serviceTokens);
    reportLeaks(scope, services);
  });
  identityKeys(app, services);
}
