import { Type } from "typebox";
import { parseRotationOverlap } from "../../../domain/lifecycle-policy.ts";
import { ROTATION_ENDS } from "../../../domain/types.ts";
import { newKeyPage } from "../../console/views/keys-page.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { ReturnTo, returnPage, sendCredentialPage } from "./account-credential-page.ts";
import { brandOfKey } from "./account-generate-key.ts";
import { seeOther, sendPage } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/rotate`: the same service call as
 * `POST /v1/account/credentials/{id}/rotate`, with its `overlap` and `end_overlap`. A new API key is
 * shown once, beside the old key's status and last use; a rotated Client ID goes back to its page.
 */
export function accountRotateKey(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/keys/:credential_id/rotate",
    formRoute("credentials", {
      params: accountParamsWith(CredentialIdParam),
      body: formBody({
        overlap: Type.Optional(Type.String({ maxLength: 40 })),
        end_overlap: Type.Optional(Type.Enum(ROTATION_ENDS)),
        ...ReturnTo,
      }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.credential_id;
      const page = returnPage(request);
      const form = `rotate:${id}`;
      const result = await attemptForm(request, form, () =>
        services.credentials.rotate(account, consoleContext(request), id, {
          overlapMs: parseRotationOverlap(request.body.overlap || undefined),
          end: request.body.end_overlap ?? "AT_EXPIRY",
        }),
      );
      if (!result.ok) return sendCredentialPage(page, request, reply, services, account, result.problem);
      const { predecessor, successor } = result.value;
      if (successor.apiKey === null) return seeOther(reply, accountPath(account.accountId, page), "rotated");
      const body = newKeyPage({
        base: accountPath(account.accountId, ""),
        accountId: account.accountId,
        credential: successor.credential,
        apiKey: successor.apiKey,
        brand: brandOfKey(successor.apiKey),
        predecessor,
      });
      return sendPage(request, reply, { title: "API key rotated", account, section: "keys", body });
    },
  );
}
