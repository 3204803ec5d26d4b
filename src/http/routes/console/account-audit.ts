import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { type AuditFilterInput, parseAuditFilter } from "../../../domain/audit-filter.ts";
import type { Account } from "../../../domain/types.ts";
import { auditPage } from "../../console/views/audit-page.ts";
import { consoleAccount, consoleContext, consoleSessionOf } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { accountPath, attemptForm, filtersRoute, statusOf, validationProblem } from "./account-common.ts";
import { sendPage } from "./console-pages.ts";

/** The audit pages' filters, as typed into the GET form. */
export const AuditQuery = {
  type: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
};

/**
 * Whose view of the trail the list takes (`AuditService.list`'s viewer): the user's own account
 * when it is the one shown (a Partner Account sees only its own actors' addresses); an Acquiring
 * Partner's users and operators see every address, as through the API.
 */
export function auditViewer(request: FastifyRequest, account: Account): Account | undefined {
  return consoleSessionOf(request).user.accountId === account.accountId ? account : undefined;
}

/** Events per page of the console's audit log. */
const PAGE_SIZE = 100;

/** `GET /console/accounts/:account_id/audit`: the audit log, filtered by type and day, a page at a time. */
export function accountAudit(app: App, services: AppServices): void {
  app.get("/console/accounts/:account_id/audit", filtersRoute(AuditQuery), async (request, reply) => {
    const account = await consoleAccount(request);
    // The filter goes to the store; a page holds PAGE_SIZE matches (fewer where a TEST key's
    // view hides some) and the next page token continues after the last one read.
    const read = async (input: AuditFilterInput, pageToken?: string) =>
      services.audit.list(
        account.accountId,
        { pageSize: PAGE_SIZE, pageToken },
        auditViewer(request, account),
        consoleContext(request).environments,
        parseAuditFilter(input),
      );
    const invalid = validationProblem(request);
    const filter: AuditFilterInput = invalid
      ? {}
      : { type: request.query.type, from: request.query.from, to: request.query.to };
    const filtered = await attemptForm(request, "filters", () => read(filter, request.query.page_token));
    // Filters the API would refuse: the page says why, and shows the newest events unfiltered.
    const shown = filtered.ok ? filtered.value : await read({});
    const problem = filtered.ok ? null : filtered.problem;
    const body = auditPage({
      base: accountPath(account.accountId, ""),
      filter,
      events: shown.items,
      nextPageToken: shown.nextPageToken,
      problem,
    });
    return sendPage(request, reply, {
      status: statusOf(problem),
      title: "Audit log",
      account,
      section: "audit",
      body,
    });
  });
}
