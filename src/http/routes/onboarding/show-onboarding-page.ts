import { Type } from "typebox";
import { unusableLinkError } from "../../../domain/onboarding-link.ts";
import type { App, AppServices } from "../../types.ts";
import { OnboardingTokenParam, sendLinkError } from "./link-errors.ts";
import { PAGE_HEADERS, revealPage } from "./pages.ts";

export function showOnboardingPage(app: App, services: AppServices): void {
  app.get(
    "/onboarding/:token",
    {
      schema: {
        operationId: "showOnboardingPage",
        security: [],
        tags: ["Onboarding"],
        summary: "The one-time link's page with a reveal button; consumes nothing",
        params: OnboardingTokenParam,
        produces: ["text/html"],
        response: { 200: Type.String({ description: "HTML page" }) },
      },
    },
    async (request, reply) => {
      const inspected = await services.onboarding.inspect(request.params.token);
      if (inspected.state !== "VALID")
        return sendLinkError(request, reply, unusableLinkError(inspected.state), services.linkGuard);
      return reply.headers(PAGE_HEADERS).send(
        revealPage({
          accountId: inspected.account.accountId,
          accountName: inspected.account.name,
          expiresAt: inspected.expiresAt,
        }),
      );
    },
  );
}
