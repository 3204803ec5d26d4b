import { AdminAccountSchema, presentAdminAccount } from "../../schemas/admin-account.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";
import { effectiveRateLimits } from "./rate-limits.ts";

export function adminGetAccount(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/accounts/:account_id",
    {
      schema: {
        operationId: "adminGetAccount",
        tags: ["Operator"],
        summary:
          "Support: an account's settings: suspension, mTLS, IP allow-list, rate limits and credential counts",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        response: { 200: AdminAccountSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      const [validCertificates, credentials] = await Promise.all([
        services.security.countUsableCertificates(account),
        services.credentials.countByStatus(account),
      ]);
      return presentAdminAccount(account, {
        now: services.now(),
        validCertificates,
        rateLimits: effectiveRateLimits(services, account),
        credentials,
      });
    },
  );
}
