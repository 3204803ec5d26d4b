import { Type } from "typebox";
import { IP_ENFORCEMENT_MODES } from "../../../domain/ip-allow-list.ts";
import { enteredText } from "../../console/forms.ts";
import {
  consoleAccount,
  consoleClientAddress,
  consoleContext,
  consoleSessionOf,
} from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendSecurityPage } from "./account-security.ts";
import { seeOther } from "./console-pages.ts";

/** The textarea's entries: one a line (commas and spaces also separate), blank lines left out. */
export function allowedIpLines(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * `POST /console/accounts/:account_id/security/ip-restriction`: the same service call as
 * `PUT /v1/account/ip-restriction`. Moving the user's own account to ENFORCED without the address
 * the console is used from is refused by the same guard unless `force`; another account's list
 * (a Partner Account, or any for an operator) cannot lock the user out, as through the API.
 */
export function accountSetIpRestriction(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/security/ip-restriction",
    formRoute("security", {
      params: AccountParams,
      body: formBody({
        enforcement_mode: Type.Enum(IP_ENFORCEMENT_MODES),
        allowed_ips: Type.Optional(Type.String({ maxLength: 100 * 65 })),
        force: Type.Optional(Type.Literal("true")),
      }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const result = await attemptForm(request, "ip", () =>
        services.security.setIpRestriction(
          account,
          consoleContext(request),
          {
            accountId: consoleSessionOf(request).user.accountId,
            sourceIp: consoleClientAddress(request),
            presentedCertificate: null,
          },
          {
            mode: request.body.enforcement_mode,
            allowedIps: allowedIpLines(request.body.allowed_ips ?? ""),
            force: request.body.force === "true",
          },
        ),
      );
      if (!result.ok) {
        return sendSecurityPage(request, reply, services, account, {
          problem: result.problem,
          entered: {
            mode: enteredText(request, "enforcement_mode"),
            allowedIps: enteredText(request, "allowed_ips"),
          },
        });
      }
      return seeOther(reply, accountPath(account.accountId, "security"), "ip-saved");
    },
  );
}
