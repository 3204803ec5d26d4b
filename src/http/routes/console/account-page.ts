import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { ConsoleCapability } from "../../../domain/console-roles.ts";
import type { Account } from "../../../domain/types.ts";
import { csrfField } from "../../console/forms.ts";
import type { SafeHtml } from "../../console/html.ts";
import type { FormProblem } from "../../console/views/parts.ts";
import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import type { App } from "../../types.ts";
import { AccountParams, accountPath, DoneQuery, userMay } from "./account-common.ts";
import { doneNotice } from "./console-pages.ts";

/*
 * What the account pages with forms (API keys, Client IDs, security, webhooks, deliveries) share:
 * what their views take from the request, and the plain GET that shows a page with its notice.
 */

/** What an account page shows beside its data: the notice after a change, or a refusal. */
export interface AccountPageState {
  notice?: string | null;
  problem?: FormProblem | null;
}

/**
 * The part of an account page's view that comes from the request: its links' base, the CSRF
 * field, whether the user's role may do `capability` (the page's buttons are shown only then),
 * and the notice or the refusal beside its form.
 */
export function accountPageFrame(
  request: FastifyRequest,
  account: Account,
  capability: ConsoleCapability,
  state: AccountPageState,
): { base: string; csrf: SafeHtml; canChange: boolean; notice: string | null; problem: FormProblem | null } {
  return {
    base: accountPath(account.accountId, ""),
    csrf: csrfField(request),
    canChange: userMay(request, capability),
    notice: state.notice ?? null,
    problem: state.problem ?? null,
  };
}

/**
 * `GET /console/accounts/:account_id/{page}` for a page whose query holds only the notice code of
 * the change before (`?done=`, one of `notices`; anything else shows no notice).
 */
export function accountPageRoute(
  app: App,
  page: string,
  input: {
    notices: Readonly<Record<string, string>>;
    send: (
      request: FastifyRequest,
      reply: FastifyReply,
      account: Account,
      notice: string | null,
    ) => Promise<FastifyReply>;
  },
): void {
  app.get(
    `/console/accounts/:account_id/${page}`,
    {
      schema: { params: AccountParams, querystring: Type.Object(DoneQuery) },
      attachValidation: true,
      preHandler: requireConsole("read"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const done = request.validationError ? undefined : request.query.done;
      return input.send(request, reply, account, doneNotice(input.notices, done));
    },
  );
}
