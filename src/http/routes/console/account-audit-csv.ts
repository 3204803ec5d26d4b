import { Type } from "typebox";
import { accountShortId } from "../../../domain/identifiers.ts";
import { auditCsv } from "../../console/audit-csv.ts";
import { filteredAuditEvents } from "../../console/audit-query.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AuditQuery, auditViewer } from "./account-audit.ts";
import { AccountParams, dropEmptyQueryValues } from "./account-common.ts";

/** The most events one export holds (newest first). */
const MAX_EXPORT = 10_000;

/**
 * `GET /console/accounts/:account_id/audit.csv`: the events that match the filters as CSV, quoted,
 * with formula-like cells neutralised. Filters the API would refuse answer the console's error page.
 */
export function accountAuditCsv(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/audit.csv",
    {
      schema: {
        params: AccountParams,
        querystring: Type.Object(AuditQuery, { additionalProperties: false }),
      },
      preValidation: dropEmptyQueryValues,
      preHandler: requireConsole("read"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const { events } = await filteredAuditEvents(services, {
        account,
        viewer: auditViewer(request, account),
        visible: consoleContext(request).environments,
        filter: { type: request.query.type, from: request.query.from, to: request.query.to },
        limit: MAX_EXPORT,
        maxScanned: 50_000,
      });
      return reply
        .type("text/csv; charset=utf-8")
        .header(
          "Content-Disposition",
          `attachment; filename="audit-${accountShortId(account.accountId)}.csv"`,
        )
        .send(auditCsv(events));
    },
  );
}
