import type { FastifyReply, FastifyRequest } from "fastify";
import type { Account } from "../../../domain/types.ts";
import { clientsPage } from "../../console/views/clients-page.ts";
import { consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { statusOf } from "./account-common.ts";
import { type AccountPageState, accountPageFrame, accountPageRoute } from "./account-page.ts";
import { sendPage } from "./console-pages.ts";

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
  view: AccountPageState & {
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
    ...accountPageFrame(request, account, "credentials", view),
    clients: clients.items,
    origins,
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
  accountPageRoute(app, "clients", {
    notices: NOTICES,
    send: (request, reply, account, notice) => sendClientsPage(request, reply, services, account, { notice }),
  });
}
