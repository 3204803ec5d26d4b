import type { FastifyRequest } from "fastify";
import { Value } from "typebox/value";
import { AppError, invalidParameter } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import type { RequestContext } from "../../../services/runtime.ts";
import { formField } from "../../console/forms.ts";
import { consoleContext } from "../../plugins/console-session.ts";
import { SUSPENSION_REASON_SCHEMA } from "../../schemas/admin-account.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorActionRoute } from "./operator-common.ts";

/** One of the two suspension changes of the operator's page, as the admin API's `suspend`/`resume`. */
export interface ConsoleSuspensionChange {
  action: "suspend" | "resume";
  done: "suspended" | "resumed";
  change(
    account: Account,
    context: RequestContext,
    input: { reason: string | null },
  ): Promise<{ account: Account; changed: boolean }>;
}

/** The optional reason, held to the admin API's schema for it. */
function reasonOf(request: FastifyRequest): string | null | AppError {
  const reason = formField(request, "reason");
  if (reason === "") return null;
  return Value.Check(SUSPENSION_REASON_SCHEMA, reason)
    ? reason
    : invalidParameter("reason", "must be 1 to 200 characters without control characters");
}

/**
 * `POST /console/operator/accounts/:account_id/{suspend|resume}` (`reason`, optional; operators):
 * the same service calls as the admin API's, idempotent like them.
 */
export function operatorSuspensionRoute(
  app: App,
  services: AppServices,
  suspension: ConsoleSuspensionChange,
): void {
  operatorActionRoute(app, services, {
    action: suspension.action,
    change: async (request, account) => {
      const reason = reasonOf(request);
      if (reason instanceof AppError) throw reason;
      return suspension.change(account, consoleContext(request), { reason });
    },
    done: (outcome) => (outcome.changed ? suspension.done : "unchanged"),
  });
}
