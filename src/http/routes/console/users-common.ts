import type { FastifyReply, FastifyRequest } from "fastify";
import { type ConsoleRole, isConsoleRole } from "../../../domain/console-roles.ts";
import type { ConsoleUser } from "../../../domain/console-user.ts";
import { type AppError, invalidParameter, notFound } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import { type UsersView, usersPage } from "../../console/views/users-page.ts";
import { consoleSessionOf } from "../../plugins/console-session.ts";
import type { AppServices } from "../../types.ts";
import { sendPage } from "./console-pages.ts";

/** What the users page says after a change (`?done=`): fixed texts, never echoed input. */
export const USER_NOTICES: Readonly<Record<string, string>> = {
  "role-changed": "The role is changed.",
  removed: "The user is removed and signed out everywhere.",
};

/** Renders the users page of `account`, with a refusal's status when there is one. */
export async function sendUsersPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  account: Account,
  view: Omit<UsersView, "account" | "users" | "self"> = {},
): Promise<FastifyReply> {
  const users = await services.consoleIdentity.listUsers(account.accountId);
  const body = usersPage(request, {
    ...view,
    account,
    users,
    self: consoleSessionOf(request).user.userId,
  });
  return sendPage(request, reply, {
    refusal: view.error,
    title: "Users",
    account,
    section: "users",
    body,
  });
}

/** The user of the account the path names (`:user_id`); 404 when it has none. */
export async function userOf(services: AppServices, account: Account, userId: string): Promise<ConsoleUser> {
  const user = (await services.consoleIdentity.listUsers(account.accountId)).find((u) => u.userId === userId);
  if (!user) throw notFound("User");
  return user;
}

/** A posted role as the services take it (which roles an account's users may hold is theirs to say). */
export function postedRole(value: string): ConsoleRole | AppError {
  return isConsoleRole(value) ? value : invalidParameter("role", "must be owner, developer or viewer");
}
