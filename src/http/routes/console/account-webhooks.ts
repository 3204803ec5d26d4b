import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Account } from "../../../domain/types.ts";
import { csrfField } from "../../console/forms.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import { type WebhooksPageData, webhooksPage } from "../../console/views/webhooks-page.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, DoneQuery, statusOf, userMay } from "./account-common.ts";
import { doneNotice, sendPage } from "./console-pages.ts";

const NOTICES: Readonly<Record<string, string>> = {
  deleted: "The endpoint is deleted, with its pending deliveries.",
};

/** Renders the webhooks page of `account`, with any refusal beside its form. */
export async function sendWebhooksPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: { notice?: string | null; problem?: FormProblem | null; entered?: WebhooksPageData["entered"] } = {},
): Promise<FastifyReply> {
  const endpoints = await services.webhooks.list(account, consoleContext(request));
  const body = webhooksPage({
    base: accountPath(account.accountId, ""),
    csrf: csrfField(request),
    canChange: userMay(request, "webhooks"),
    endpoints,
    now: services.now(),
    notice: view.notice ?? null,
    problem: view.problem ?? null,
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
  app.get(
    "/console/accounts/:account_id/webhooks",
    {
      schema: { params: AccountParams, querystring: Type.Object(DoneQuery) },
      attachValidation: true,
      preHandler: requireConsole("read"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      return sendWebhooksPage(request, reply, services, account, {
        notice: doneNotice(NOTICES, request.validationError ? undefined : request.query.done),
      });
    },
  );
}
