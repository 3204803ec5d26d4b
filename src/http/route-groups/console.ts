import { withTypes } from "../fastify.ts";
import { registerConsoleSession } from "../plugins/console-session.ts";
import { acceptInvitation } from "../routes/console/accept-invitation.ts";
import { completeEnrolment } from "../routes/console/complete-enrolment.ts";
import { consoleAsset } from "../routes/console/console-asset.ts";
import { consoleHome } from "../routes/console/console-home.ts";
import { consoleNotFound } from "../routes/console/console-not-found.ts";
import { showEnrolment } from "../routes/console/show-enrolment.ts";
import { showInvitation } from "../routes/console/show-invitation.ts";
import { showSecondFactor } from "../routes/console/show-second-factor.ts";
import { showSignIn } from "../routes/console/show-sign-in.ts";
import { signIn } from "../routes/console/sign-in.ts";
import { signOut } from "../routes/console/sign-out.ts";
import { verifySecondFactor } from "../routes/console/verify-second-factor.ts";
import type { App, AppOptions } from "../types.ts";
import { consoleAccountPages } from "./console-account-pages.ts";

/**
 * The partner console under `/console/`: server-rendered pages in their own scope (cookies, CSRF,
 * CSP, HTML errors), over the same services as the API. None of it is in the API's reference.
 */
export async function consoleRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    scope.addHook("onRoute", (route) => {
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    await registerConsoleSession(scope, { services, transport: options.transport });

    consoleAsset(scope);
    consoleHome(scope);
    showSignIn(scope);
    signIn(scope, services);
    showInvitation(scope, services);
    acceptInvitation(scope, services);
    showEnrolment(scope, services);
    completeEnrolment(scope, services);
    showSecondFactor(scope);
    verifySecondFactor(scope, services);
    signOut(scope, services);

    consoleAccountPages(scope, services);
    consoleNotFound(scope);
  });
}
