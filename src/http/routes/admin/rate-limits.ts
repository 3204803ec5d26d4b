import { Type } from "typebox";
import { formatRateLimit } from "../../../domain/rate-limit.ts";
import type { Account } from "../../../domain/types.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";
import { operatorContext } from "./operator.ts";

const LimitsSchema = Type.Object({
  account_id: Type.String(),
  limits: Type.Record(
    Type.String(),
    Type.Object({
      limit: Type.String({ description: "requests/window, e.g. 50/1s" }),
      source: Type.Enum(["default", "override"]),
    }),
  ),
});

/** The account's effective limit per category, and whether it is the default or an override. */
export function effectiveRateLimits(
  services: AppServices,
  account: Account,
): Record<string, { limit: string; source: "default" | "override" }> {
  const limits: Record<string, { limit: string; source: "default" | "override" }> = {};
  for (const category of services.rateLimits.categories) {
    const limit = services.rateLimits.limitFor(account, category);
    if (limit) {
      limits[category] = {
        limit: formatRateLimit(limit),
        source: account.security.rateLimits[category] ? "override" : "default",
      };
    }
  }
  return limits;
}

function present(services: AppServices, account: Account) {
  return { account_id: account.accountId, limits: effectiveRateLimits(services, account) };
}

export function getRateLimits(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/accounts/:account_id/rate-limits",
    {
      schema: {
        operationId: "adminGetRateLimits",
        tags: ["Operator"],
        summary: "An account's effective rate limits by category",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        response: { 200: LimitsSchema, ...errorResponses },
      },
    },
    async (request) => present(services, await accountOf(services, request.params.account_id)),
  );
}

export function putRateLimits(app: App, services: AppServices): void {
  app.put(
    "/admin/v1/accounts/:account_id/rate-limits",
    {
      schema: {
        operationId: "adminPutRateLimits",
        tags: ["Operator"],
        summary: "Override an account's rate limits per category; null returns a category to the default",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        body: Type.Object(
          {
            limits: Type.Record(
              Type.String({ maxLength: 64 }),
              Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: LimitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      const updated = await services.rateLimits.changeOverrides(
        account,
        operatorContext(request),
        request.body.limits,
      );
      return present(services, updated);
    },
  );
}
