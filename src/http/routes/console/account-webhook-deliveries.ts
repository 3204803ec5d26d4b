import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Account } from "../../../domain/types.ts";
import { deliveriesPage } from "../../console/views/webhooks-page.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import { EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, DoneQuery, PageTokenQuery, statusOf } from "./account-common.ts";
import { type AccountPageState, accountPageFrame } from "./account-page.ts";
import { doneNotice, sendPage } from "./console-pages.ts";

const NOTICES: Readonly<Record<string, string>> = {
  tested: "A webhook.test message is queued: it appears below once it is tried.",
  redelivered: "The message is queued again as a new delivery.",
};

/** Renders one endpoint's delivery log, with any refusal beside its button. */
export async function sendDeliveriesPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  endpointId: string,
  view: AccountPageState & { pageToken?: string | undefined } = {},
): Promise<FastifyReply> {
  const context = consoleContext(request);
  const endpoint = await services.webhooks.get(account, context, endpointId);
  const page = await services.webhooks.deliveries(account, context, endpointId, {
    pageSize: 50,
    pageToken: view.pageToken,
  });
  const body = deliveriesPage({
    ...accountPageFrame(request, account, "webhooks", view),
    endpoint,
    deliveries: page.items,
    nextPageToken: page.nextPageToken,
  });
  return sendPage(request, reply, {
    status: statusOf(view.problem),
    title: "Deliveries",
    account,
    section: "webhooks",
    body,
  });
}

/** `GET /console/accounts/:account_id/webhooks/:endpoint_id/deliveries`: the endpoint's delivery log. */
export function accountWebhookDeliveries(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/webhooks/:endpoint_id/deliveries",
    {
      schema: {
        params: accountParamsWith(EndpointIdParam),
        querystring: Type.Object({ ...DoneQuery, ...PageTokenQuery }),
      },
      preHandler: requireConsole("read"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      return sendDeliveriesPage(request, reply, services, account, request.params.endpoint_id, {
        pageToken: request.query.page_token,
        notice: doneNotice(NOTICES, request.query.done),
      });
    },
  );
}
