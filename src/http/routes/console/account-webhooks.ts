import type { FastifyReply, FastifyRequest } from "fastify";
import type { Account } from "../../../domain/types.ts";
import { type WebhooksPageData, webhooksPage } from "../../console/views/webhooks-page.ts";
import { consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { statusOf } from "./account-common.ts";
import { type AccountPageState, accountPageFrame, accountPageRoute } from "./account-page.ts";
import { sendPage } from "./console-pages.ts";

const NOTICES: Readonly<Record<string, string>> = {
  deleted: "The endpoint is deleted, with its pending deliveries.",
};

/** Renders the webhooks page of `account`, with any refusal beside its form. */
export async function sendWebhooksPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: AccountPageState & { entered?: WebhooksPageData["entered"] } = {},
): Promise<FastifyReply> {
  const endpoints = await services.webhooks.list(account, consoleContext(request));
  const body = webhooksPage({
    ...accountPageFrame(request, account, "webhooks", view),
    endpoints,
    now: services.now(),
    entered: view.entered ?? {},
  });
  return sendPage(request, reply, {
    status: statusOf(view.problem),
    title: "Webhooks",
    account,
    section: "webhooks",
    body,
  });
}

/** `GET /console/accounts/:account_id/webhooks`: the account's webhook endpoints. */
export function accountWebhooks(app: App, services: AppServices): void {
  accountPageRoute(app, "webhooks", {
    notices: NOTICES,
    send: (request, reply, account, notice) =>
      sendWebhooksPage(request, reply, services, account, { notice }),
  });
}
