import { Type } from "typebox";
import type { Account } from "../../../domain/types.ts";
import type { RequestContext } from "../../../services/runtime.ts";
import {
  AccountSuspensionSchema,
  presentSuspension,
  SUSPENSION_REASON_SCHEMA,
} from "../../schemas/admin-account.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";
import { operatorContext } from "./operator.ts";

/** One of the two suspension changes: `suspend` or `resume`. */
export interface SuspensionChange {
  action: "suspend" | "resume";
  operationId: string;
  summary: string;
  /** The log line written after the change, e.g. "account suspended". */
  logMessage: string;
  change(
    account: Account,
    context: RequestContext,
    input: { reason: string | null },
  ): Promise<{ account: Account; changed: boolean }>;
}

/**
 * `POST /admin/v1/accounts/{account_id}/{suspend|resume}`: both take an optional reason for the
 * audit trail, are idempotent, and answer with the account's suspension and whether it changed.
 */
export function accountSuspensionRoute(app: App, services: AppServices, suspension: SuspensionChange): void {
  app.post(
    `/admin/v1/accounts/:account_id/${suspension.action}`,
    {
      schema: {
        operationId: suspension.operationId,
        tags: ["Operator"],
        summary: suspension.summary,
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        body: Type.Optional(
          Type.Object({ reason: Type.Optional(SUSPENSION_REASON_SCHEMA) }, { additionalProperties: false }),
        ),
        response: { 200: AccountSuspensionSchema, ...errorResponses },
      },
      // The body is optional: a bare POST changes the suspension without a reason.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      const outcome = await suspension.change(account, operatorContext(request), {
        reason: request.body?.reason ?? null,
      });
      request.log.info({ account_id: account.accountId, changed: outcome.changed }, suspension.logMessage);
      return presentSuspension(outcome.account, outcome.changed);
    },
  );
}
