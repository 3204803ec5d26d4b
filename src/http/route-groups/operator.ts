import { withTypes } from "../fastify.ts";
import { registerAdminAuth } from "../plugins/admin-auth.ts";
import { registerIdempotency } from "../plugins/idempotency.ts";
import { createAccount } from "../routes/admin/create-account.ts";
import { createServiceToken } from "../routes/admin/create-service-token.ts";
import { adminDisableCredential } from "../routes/admin/disable-credential.ts";
import { adminEnableCredential } from "../routes/admin/enable-credential.ts";
import { adminGetAccount } from "../routes/admin/get-account.ts";
import { adminInviteConsoleOperator } from "../routes/admin/invite-console-operator.ts";
import { adminInviteConsoleUser } from "../routes/admin/invite-console-user.ts";
import { issueOnboardingLink } from "../routes/admin/issue-onboarding-link.ts";
import { adminLiftMtlsEnforcement } from "../routes/admin/lift-mtls-enforcement.ts";
import { listAccounts } from "../routes/admin/list-accounts.ts";
import { adminListCredentials } from "../routes/admin/list-credentials.ts";
import { listServiceTokens } from "../routes/admin/list-service-tokens.ts";
import {
  adminListConsoleUsers,
  adminRemoveConsoleUser,
  adminResetConsoleUser,
} from "../routes/admin/manage-console-users.ts";
import { getRateLimits, putRateLimits } from "../routes/admin/rate-limits.ts";
import { adminResetIpRestriction } from "../routes/admin/reset-ip-restriction.ts";
import { resumeAccount } from "../routes/admin/resume-account.ts";
import { revokeServiceToken } from "../routes/admin/revoke-service-token.ts";
import { suspendAccount } from "../routes/admin/suspend-account.ts";
import { verifyAuditChain } from "../routes/admin/verify-audit-chain.ts";
import { type App, type AppOptions, type AppServices, headerPrefix } from "../types.ts";

/** The operator's operations (registered in this order, which the OpenAPI document keeps). */
const ROUTES: readonly ((scope: App, services: AppServices) => void)[] = [
  createAccount,
  issueOnboardingLink,
  adminEnableCredential,
  adminDisableCredential,
  getRateLimits,
  putRateLimits,
  createServiceToken,
  listServiceTokens,
  revokeServiceToken,
  verifyAuditChain,
  adminGetAccount,
  adminListCredentials,
  adminLiftMtlsEnforcement,
  adminResetIpRestriction,
  suspendAccount,
  resumeAccount,
  adminInviteConsoleUser,
  adminInviteConsoleOperator,
  adminListConsoleUsers,
  adminResetConsoleUser,
  adminRemoveConsoleUser,
];

/** The operator API (`/admin/*`): the operator token (or a named one), changes under idempotency keys. */
export async function operatorRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerAdminAuth(scope, {
      adminToken: options.adminToken,
      operators: options.operators,
      guard: services.operatorGuard,
    });
    registerIdempotency(scope, {
      service: services.idempotency,
      headerPrefix: headerPrefix(options.brand),
      scopeOf: () => "operator",
    });
    for (const route of ROUTES) route(scope, services);
    listAccounts(scope, services, { mtlsRequiredFor: options.mtlsRequiredFor });
  });
}
