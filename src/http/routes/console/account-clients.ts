import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Account } from "../../../domain/types.ts";
import { csrfField } from "../../console/forms.ts";
import { clientsPage } from "../../console/views/clients-page.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, DoneQuery, statusOf, userMay } from "./account-common.ts";
import { doneNotice, sendPage } from "./console-pages.ts";

const NOTICES: Readonly<Record<string, string>> = {
  created: "The Client ID is created.",
  disabled: "The Client ID is disabled.",
  enabled: "The Client ID is active again.",
  rotated: "The Client ID is rotated: its successor is listed, and the old one works until the overlap ends.",
  "origin-added": "The origin is allowed.",
  "origin-removed": "The origin is removed.",
};

/** Renders the Client IDs and origins page of `account`, with any refusal beside its form. */
export async function sendClientsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: {
    notice?: string | null;
    problem?: FormProblem | null;
    entered?: {
      description?: string | undefined;
      environment?: string | undefined;
      origin?: string | undefined;
    };
  } = {},
): Promise<FastifyReply> {
  const [clients, origins] = await Promise.all([
    services.credentials.list(
      account,
      { type: "CLIENT" },
      { pageSize: 100 },
      consoleContext(request).environments,
    ),
    services.origins.list(account),
  ]);
  const body = clientsPage({
    base: accountPath(account.accountId, ""),
    csrf: csrfField(request),
    canChange: userMay(request, "credentials"),
    clients: clients.items,
    origins,
    notice: view.notice ?? null,
    problem: view.problem ?? null,
    entered: view.entered ?? {},
  });
  return sendPage(request, reply, {
    status: statusOf(view.problem),
    title: "Client IDs and allowed origins",
    account,
    section: "clients",
    body,
  });
}

/** `GET /console/accounts/:account_id/clients`: Client IDs and allowed origins. */
export function accountClients(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/clients",
    {
      schema: { params: AccountParams, querystring: Type.Object(DoneQuery) },
      attachValidation: true,
      preHandler: requireConsole("read"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      return sendClientsPage(request, reply, services, account, {
        notice: doneNotice(NOTICES, request.validationError ? undefined : request.query.done),
      });
    },
  );
}
