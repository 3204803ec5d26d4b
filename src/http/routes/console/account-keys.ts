import type { FastifyReply, FastifyRequest } from "fastify";
import type { Account, CredentialStatus, Environment } from "../../../domain/types.ts";
import { keysPage } from "../../console/views/keys-page.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { CredentialListFilters } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { DoneQuery, filtersRoute, statusOf, validationProblem } from "./account-common.ts";
import { accountPageFrame } from "./account-page.ts";
import { doneNotice, sendPage } from "./console-pages.ts";

const NOTICES: Readonly<Record<string, string>> = {
  disabled: "The key is disabled: requests with it are refused from now on.",
  enabled: "The key is active again.",
  described: "The description is saved.",
};

const PAGE_SIZE = 100;

/**
 * Renders the API keys page of `account`: the list (of the filters given), and any refusal beside
 * the form it belongs to, with the refusal's status.
 */
export async function sendKeysPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: {
    filters?: { status?: CredentialStatus | undefined; environment?: Environment | undefined };
    pageToken?: string | undefined;
    notice?: string | null;
    problem?: FormProblem | null;
    entered?: { description?: string | undefined; environment?: string | undefined };
  } = {},
): Promise<FastifyReply> {
  const filters = view.filters ?? {};
  const context = consoleContext(request);
  const page = await services.credentials.list(
    account,
    { type: "API", ...filters },
    { pageSize: PAGE_SIZE, pageToken: view.pageToken },
    context.environments,
  );
  const body = keysPage({
    ...accountPageFrame(request, account, "credentials", view),
    filters,
    keys: page.items,
    nextPageToken: page.nextPageToken,
    entered: view.entered ?? {},
  });
  return sendPage(request, reply, {
    status: statusOf(view.problem),
    title: "API keys",
    account,
    section: "keys",
    body,
  });
}

/** `GET /console/accounts/:account_id/keys`: the account's API keys, filtered by status and environment. */
export function accountKeys(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/keys",
    filtersRoute({ ...CredentialListFilters, ...DoneQuery }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const invalid = validationProblem(request);
      if (invalid) {
        // The filters as the API would refuse them: the page says why, and lists without them.
        return sendKeysPage(request, reply, services, account, {
          problem: { form: "filters", error: invalid },
        });
      }
      const { status, environment, page_token, done } = request.query;
      return sendKeysPage(request, reply, services, account, {
        filters: { status, environment },
        pageToken: page_token,
        notice: doneNotice(NOTICES, done),
      });
    },
  );
}
