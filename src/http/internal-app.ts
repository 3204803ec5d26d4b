import { createListenerFastify } from "./fastify.ts";
import { registerOpenApi } from "./openapi.ts";
import { internalRoutes } from "./route-groups/internal.ts";
import { operatorRoutes } from "./route-groups/operator.ts";
import { internalOpsRoutes } from "./route-groups/ops.ts";
import { type App, type AppOptions, headerPrefix } from "./types.ts";

/**
 * The internal listener's application: the operator API (`/admin/*`, operator token), the
 * provider's endpoints (`/internal/*`, service tokens), and `/metrics`. None of these is reachable
 * on the partners' listeners.
 */
export async function buildInternalApp(options: AppOptions): Promise<App> {
  const prefix = headerPrefix(options.brand);
  const app = createListenerFastify(options, "internal");
  await registerOpenApi(app, {
    title: "Partner credentials: operator and internal API",
    description:
      "The internal listener: the operator API (`/admin/*`, operator token), the provider's authorization endpoints (`/internal/*`, service tokens) and operations. Never exposed to partners. Every error answers with the ErrorBody schema.",
    serverUrl: `http://${options.internalAddress}`,
    headerPrefix: prefix,
    securitySchemes: {
      operatorToken: {
        type: "http",
        scheme: "bearer",
        description: "ADMIN_TOKEN, or a named operator token",
      },
      serviceToken: {
        type: "apiKey",
        in: "header",
        name: "X-Service-Token",
        description: "`partnerctl admin service-tokens create`",
      },
    },
    security: [{ operatorToken: [] }],
    isPartnerCall: () => false,
    securityOf: (path) => (path.startsWith("/internal/") ? [{ serviceToken: [] }] : null),
  });

  await operatorRoutes(app, options);
  await internalRoutes(app, options);
  internalOpsRoutes(app, options);
  return app;
}
