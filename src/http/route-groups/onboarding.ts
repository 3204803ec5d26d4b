import { withTypes } from "../fastify.ts";
import { registerTlsRequirement } from "../plugins/require-tls.ts";
import { claimOnboardingLink } from "../routes/onboarding/claim-onboarding-link.ts";
import { showOnboardingPage } from "../routes/onboarding/show-onboarding-page.ts";
import type { App, AppOptions } from "../types.ts";

/** The onboarding pages: an onboarding link shows its page, and its reveal button claims it. */
export async function onboardingRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    // The reveal button posts an empty HTML form; its body carries nothing we read.
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_req, _body, done) => done(null, {}),
    );
    showOnboardingPage(scope, services);
    claimOnboardingLink(scope, services, { brand: options.brand });
  });
}
