import { Type } from "typebox";
import { invalidParameter } from "../../../domain/errors.ts";
import { errorResponses } from "../../schemas/common.ts";
import {
  ConsoleInvitationSchema,
  ConsoleUserIdParam,
  ConsoleUserSchema,
  presentConsoleUser,
} from "../../schemas/console-user.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

/**
 * `GET /admin/v1/console-users?account_id=…` or `?operators=true`: an account's console users, or
 * the operators, to find the user id a reset or a removal needs.
 */
export function adminListConsoleUsers(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/console-users",
    {
      schema: {
        operationId: "adminListConsoleUsers",
        tags: ["Operator"],
        summary:
          "An account's console users (`account_id`), or the operators (`operators=true`), oldest first",
        security: [{ operatorToken: [] }],
        querystring: Type.Object(
          {
            account_id: Type.Optional(
              Type.String({ pattern: "^krn:partner:global:account:(live|test):[A-Z0-9]{8}$" }),
            ),
            operators: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ console_users: Type.Array(ConsoleUserSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { account_id: accountId, operators } = request.query;
      if ((accountId === undefined) === (operators !== true)) {
        throw invalidParameter("account_id", "give either account_id or operators=true");
      }
      const users =
        accountId !== undefined
          ? await services.consoleIdentity.listAccountUsers(accountId)
          : await services.consoleIdentity.listOperators();
      return { console_users: users.map(presentConsoleUser) };
    },
  );
}

/**
 * `POST /admin/v1/console-users/{user_id}/reset`: for a user locked out (password forgotten, or
 * phone and recovery codes lost), an account's last owner and operators included.
 */
export function adminResetConsoleUser(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/console-users/:user_id/reset",
    {
      schema: {
        operationId: "adminResetConsoleUser",
        tags: ["Operator"],
        summary:
          "Reset a console user's sign-in: password, TOTP and recovery codes forgotten, every session ended, a new one-time invitation link (shown once)",
        security: [{ operatorToken: [] }],
        params: ConsoleUserIdParam,
        response: { 201: ConsoleInvitationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const reset = await services.consoleIdentity.operatorResetSignIn(
        request.params.user_id,
        operatorContext(request),
      );
      if (reset.user.accountId === null) {
        // Operators have no account, so no audit trail: the log line is their record.
        request.log.info(
          {
            event: "console.operator_user_reset",
            user_id: reset.user.userId,
            operator: request.operatorName,
          },
          "console operator's sign-in reset",
        );
      }
      return reply.code(201).send({
        user_id: reset.user.userId,
        invitation_url: reset.invitationUrl,
        expires_at: reset.expiresAt.toISOString(),
      });
    },
  );
}

/** `DELETE /admin/v1/console-users/{user_id}`: removes any console user (no last-owner guard). */
export function adminRemoveConsoleUser(app: App, services: AppServices): void {
  app.delete(
    "/admin/v1/console-users/:user_id",
    {
      schema: {
        operationId: "adminRemoveConsoleUser",
        tags: ["Operator"],
        summary:
          "Remove a console user and end their sessions; unlike an owner's removal, an account's last active owner may be removed (the audit event says so)",
        security: [{ operatorToken: [] }],
        params: ConsoleUserIdParam,
        response: { 204: Type.Null({ description: "Removed" }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const removed = await services.consoleIdentity.operatorRemoveUser(
        request.params.user_id,
        operatorContext(request),
      );
      if (removed.accountId === null) {
        request.log.info(
          { event: "console.operator_user_removed", user_id: removed.userId, operator: request.operatorName },
          "console operator removed",
        );
      }
      return reply.code(204).send(null);
    },
  );
}
