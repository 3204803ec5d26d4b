import { Type } from "typebox";
import { AppError } from "../../../domain/errors.ts";
import { ErrorBody } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { OnboardingTokenParam, sendLinkError, wantsJson } from "./link-errors.ts";
import { keyPage, PAGE_HEADERS } from "./pages.ts";

export function claimOnboardingLink(app: App, services: AppServices, options: { brand: string }): void {
  app.post(
    "/onboarding/:token",
    {
      schema: {
        operationId: "claimOnboardingLink",
        security: [],
        tags: ["Onboarding"],
        summary: "Claim the link: the initial API key is generated now and shown once",
        description: "Send `Accept: application/json` for JSON; otherwise an HTML page with a .txt download.",
        params: OnboardingTokenParam,
        response: {
          200: Type.String({ description: "HTML page showing the key once, with a .txt download" }),
          201: Type.Object({
            account_id: Type.String(),
            credential_id: Type.String(),
            api_key: Type.String(),
          }),
          404: ErrorBody,
          410: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      try {
        const claimed = await services.onboarding.claim(request.params.token, request.clientAddress);
        const result = {
          account_id: claimed.account.accountId,
          credential_id: claimed.credential.credentialId,
          api_key: claimed.apiKey,
        };
        if (wantsJson(request)) return reply.code(201).send(result);
        return reply
          .code(200)
          .headers(PAGE_HEADERS)
          .send(
            keyPage({
              accountId: result.account_id,
              credentialId: result.credential_id,
              apiKey: result.api_key,
              brand: options.brand,
            }),
          );
      } catch (error) {
        if (error instanceof AppError) return sendLinkError(request, reply, error, services.linkGuard);
        throw error;
      }
    },
  );
}
