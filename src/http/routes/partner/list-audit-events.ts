import { Type } from "typebox";
import { nextPageField, pageRequest } from "../../paging.ts";
import { partnerOf } from "../../plugins/partner-auth.ts";
import { presentAuditEvent } from "../../presenters.ts";
import { AuditEventSchema } from "../../schemas/audit-event.ts";
import { errorResponses, NextPageToken, PageQuery } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function listAuditEvents(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/audit-events`,
      {
        schema: {
          operationId: scope.operationId("listAuditEvents"),
          tags: [scope.tag],
          summary: "The account's credential and security events, newest first",
          params: scope.params({}),
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: {
            200: Type.Object({
              audit_events: Type.Array(AuditEventSchema),
              ...NextPageToken,
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const page = await services.audit.list(
          account.accountId,
          pageRequest(request.query),
          partnerOf(request).account,
          contextOf(request).environments,
        );
        return {
          audit_events: page.items.map(presentAuditEvent),
          ...nextPageField(page),
        };
      },
    );
  }
}
