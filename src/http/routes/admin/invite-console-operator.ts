import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { ConsoleEmail, ConsoleInvitationSchema } from "../../schemas/console-user.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function adminInviteConsoleOperator(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/operators/users",
    {
      schema: {
        operationId: "adminInviteConsoleOperator",
        tags: ["Operator"],
        summary:
          "Invite one of the provider's support staff to the console (role operator, no account) with a one-time link",
        security: [{ operatorToken: [] }],
        body: Type.Object({ email: ConsoleEmail }, { additionalProperties: false }),
        response: { 201: ConsoleInvitationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const invited = await services.consoleIdentity.invite(
        { accountId: null, email: request.body.email, role: "operator" },
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
