import { withTypes } from "../fastify.ts";
import { registerConsoleSession } from "../plugins/console-session.ts";
import { acceptInvitation } from "../routes/console/accept-invitation.ts";
import { changeUserRole } from "../routes/console/change-user-role.ts";
import { completeEnrolment } from "../routes/console/complete-enrolment.ts";
import { consoleAsset } from "../routes/console/console-asset.ts";
import { consoleHome } from "../routes/console/console-home.ts";
import { consoleNotFound } from "../routes/console/console-not-found.ts";
import { inviteUser } from "../routes/console/invite-user.ts";
import { listConsoleAccounts } from "../routes/console/list-console-accounts.ts";
import { operatorAccount } from "../routes/console/operator-account.ts";
import { operatorLiftMtls } from "../routes/console/operator-lift-mtls.ts";
import { operatorReactivateCredential } from "../routes/console/operator-reactivate-credential.ts";
import { operatorResetIp } from "../routes/console/operator-reset-ip.ts";
import { operatorResume } from "../routes/console/operator-resume.ts";
import { operatorSearch } from "../routes/console/operator-search.ts";
import { operatorSuspend } from "../routes/console/operator-suspend.ts";
import { removeUser } from "../routes/console/remove-user.ts";
import { resetUserSignIn } from "../routes/console/reset-user-sign-in.ts";
import { showEnrolment } from "../routes/console/show-enrolment.ts";
import { showInvitation } from "../routes/console/show-invitation.ts";
import { showSecondFactor } from "../routes/console/show-second-factor.ts";
import { showSignIn } from "../routes/console/show-sign-in.ts";
import { showUserRole } from "../routes/console/show-user-role.ts";
import { showUsers } from "../routes/console/show-users.ts";
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

    listConsoleAccounts(scope, services);
    showUsers(scope, services);
    inviteUser(scope, services);
    showUserRole(scope, services);
    changeUserRole(scope, services);
    removeUser(scope, services);
    resetUserSignIn(scope, services);

    operatorSearch(scope, services);
    operatorAccount(scope, services);
    operatorReactivateCredential(scope, services);
    operatorLiftMtls(scope, services);
    operatorResetIp(scope, services);
    operatorSuspend(scope, services);
    operatorResume(scope, services);

    consoleAccountPages(scope, services);
    consoleNotFound(scope);
  });
}
