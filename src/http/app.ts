import { createListenerFastify } from "./fastify.ts";
import { registerOpenApi } from "./openapi.ts";
import { clientSessionRoutes } from "./route-groups/client.ts";
import { consoleRoutes } from "./route-groups/console.ts";
import { onboardingRoutes } from "./route-groups/onboarding.ts";
import { publicOpsRoutes } from "./route-groups/ops.ts";
import { partnerRoutes } from "./route-groups/partner.ts";
import { secretScanningRoutes } from "./route-groups/secret-scanning.ts";
import { type App, type AppOptions, headerPrefix } from "./types.ts";

/**
 * Builds the partners' application without listening (tests drive it with `inject()`): the Partner
 * Management API, onboarding pages, browser sessions, the partner console, health and the API reference. Operator,
 * internal and metrics routes live on the internal listener only (`buildInternalApp`).
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const prefix = headerPrefix(options.brand);
  const app = createListenerFastify(options, "public");

  await registerOpenApi(app, {
    title: "Partner credentials: Partner Management API",
    description:
      "API keys and Client IDs for Acquiring Partners and their Partner Accounts, in the wire format of Klarna's Partner Management API (v1 and v2 paths). Every error answers with the ErrorBody schema.",
    serverUrl: options.publicUrl,
    headerPrefix: prefix,
    securitySchemes: {
      apiKey: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description:
          "`Basic <api_key>`, or `Basic <credential_id>:<api_key>` written out or base64-encoded (HTTP Basic with the key as password)",
      },
    },
    security: [{ apiKey: [] }],
    isPartnerCall: (path) => /^\/v[12]\/accounts?(\/|$)/.test(path),
  });

  await partnerRoutes(app, options);
  await onboardingRoutes(app, options);
  await clientSessionRoutes(app, options);
  await secretScanningRoutes(app, options);
  await consoleRoutes(app, options);
  publicOpsRoutes(app, options);
  return app;
}
