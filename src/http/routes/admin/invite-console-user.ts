import { Type } from "typebox";
import { ACCOUNT_ROLES } from "../../../domain/console-roles.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import { ConsoleEmail, ConsoleInvitationSchema } from "../../schemas/console-user.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function adminInviteConsoleUser(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/accounts/:account_id/users",
    {
      schema: {
        operationId: "adminInviteConsoleUser",
        tags: ["Operator"],
        summary:
          "Invite a console user to the account with a one-time link; inviting an email still invited again replaces its link",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        body: Type.Object(
          { email: ConsoleEmail, role: Type.Enum(ACCOUNT_ROLES) },
          { additionalProperties: false },
        ),
        response: { 201: ConsoleInvitationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const invited = await services.consoleIdentity.invite(
        { accountId: request.params.account_id, email: request.body.email, role: request.body.role },
        operatorContext(request),
      );
      return reply.code(201).send({
        user_id: invited.user.userId,
        invitation_url: invited.invitationUrl,
        expires_at: invited.expiresAt.toISOString(),
      });
    },
  );
}
