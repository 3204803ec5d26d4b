import { Readable } from "node:stream";
import { Type } from "typebox";
import { parseAuditFilter } from "../../../domain/audit-filter.ts";
import { accountShortId } from "../../../domain/identifiers.ts";
import type { AuditEvent } from "../../../domain/types.ts";
import { auditCsvChunks } from "../../console/audit-csv.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AuditQuery, auditViewer } from "./account-audit.ts";
import { AccountParams, dropEmptyQueryValues } from "./account-common.ts";

/**
 * `GET /console/accounts/:account_id/audit.csv`: every event that matches the filters as CSV,
 * quoted, with formula-like cells neutralised, streamed as the store's batches are read (no cap).
 * Filters the API would refuse, or a store failing before the first batch, answer the console's
 * error page; a failure later cuts the download short.
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
      const filter = parseAuditFilter(request.query);
      const batches = services.audit.listAll(account.accountId, {
        filter,
        viewer: auditViewer(request, account),
        visible: consoleContext(request).environments,
      });
      const first = await batches.next();
      async function* all(): AsyncGenerator<AuditEvent[], void, undefined> {
        if (first.done) return;
        yield first.value;
        yield* batches;
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header(
          "Content-Disposition",
          `attachment; filename="audit-${accountShortId(account.accountId)}.csv"`,
        )
        .send(Readable.from(auditCsvChunks(all()), { objectMode: false }));
    },
  );
}
