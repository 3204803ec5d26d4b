import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppError } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import { operatorAccountPage, operatorAccountPath } from "../../console/views/operator-pages.ts";
import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, queryField, seeOther, sendPage } from "./console-pages.ts";

const PAGE_SIZE = 100;

/** What the operator's account page says after an action (`?done=`): fixed texts only. */
export const OPERATOR_NOTICES: Readonly<Record<string, string>> = {
  reactivated: "The credential is active again.",
  "mtls-lifted": "mTLS enforcement is lifted; the certificates stay.",
  "ip-reset": "The IP allow-list is off, with no addresses.",
  suspended: "The account is suspended: every key of it is refused.",
  resumed: "The account is resumed: its active keys work again.",
  unchanged: "Nothing to change: the account was already so.",
};

/** After an action: back to the account's support page with its notice. */
export function operatorDone(account: Account, done: keyof typeof OPERATOR_NOTICES & string): string {
  return `${operatorAccountPath(account)}?done=${done}`;
}

/** Renders the operator's page of `account` (its credentials' page from `?page_token`), with a refusal's status. */
export async function sendOperatorAccountPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: { notice?: string | null; error?: AppError | null } = {},
): Promise<FastifyReply> {
  const pageToken = queryField(request, "page_token") || undefined;
  const [page, counts, usableCertificates] = await Promise.all([
    services.credentials.listAllForOperator(account, {}, { pageSize: PAGE_SIZE, pageToken }),
    services.credentials.countByStatus(account),
    services.security.countUsableCertificates(account),
  ]);
  return sendPage(request, reply, {
    refusal: view.error,
    title: "Support",
    account,
    section: "operator",
    body: operatorAccountPage(request, {
      account,
      now: services.now(),
      credentials: page.items,
      nextCredentialsHref: page.nextPageToken
        ? `${operatorAccountPath(account)}?page_token=${encodeURIComponent(page.nextPageToken)}`
        : null,
      counts,
      usableCertificates,
      notice: view.notice ?? null,
      error: view.error ?? null,
    }),
  });
}

/**
 * `POST /console/operator/accounts/:account_id/{action}` (operators): `change` through the admin
 * API's service call, then back to the account's support page with the notice `done` picks; a
 * refusal (an `AppError`) shows on that page with its status.
 */
export function operatorActionRoute<T>(
  app: App,
  services: AppServices,
  input: {
    action: string;
    change: (request: FastifyRequest, account: Account) => Promise<T>;
    done: (value: T) => keyof typeof OPERATOR_NOTICES & string;
  },
): void {
  app.post(
    `/console/operator/accounts/:account_id/${input.action}`,
    { preHandler: requireConsole("operate") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const outcome = await attemptChange(() => input.change(request, account));
      if (!outcome.ok)
        return sendOperatorAccountPage(request, reply, services, account, { error: outcome.error });
      return seeOther(reply, operatorDone(account, input.done(outcome.value)));
    },
  );
}
