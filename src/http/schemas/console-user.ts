import { type Static, Type } from "typebox";
import { CONSOLE_ROLES } from "../../domain/console-roles.ts";
import type { ConsoleUser } from "../../domain/console-user.ts";
import { Timestamp } from "./common.ts";

/** What inviting a console user answers: the one-time link is shown once. */
export const ConsoleInvitationSchema = Type.Object({
  user_id: Type.String(),
  invitation_url: Type.String({ description: "One-time link where the user sets a password; shown once" }),
  expires_at: Timestamp,
});

export const ConsoleEmail = Type.String({ minLength: 3, maxLength: 254, description: "The user's email" });

/** A console user as the operator sees it: never a password hash, a TOTP secret or a code. */
export const ConsoleUserSchema = Type.Object({
  user_id: Type.String(),
  account_id: Type.Union([Type.String(), Type.Null()], { description: "null for operators" }),
  email: Type.String(),
  role: Type.Enum(CONSOLE_ROLES),
  status: Type.Enum(["INVITED", "ACTIVE"], {
    description: "INVITED until the invitation (or the one after a sign-in reset) is accepted",
  }),
  second_factor: Type.Boolean({ description: "TOTP enrolled" }),
  created_at: Timestamp,
  created_by: Type.String(),
  last_sign_in_at: Type.Union([Timestamp, Type.Null()]),
});

export function presentConsoleUser(user: ConsoleUser): Static<typeof ConsoleUserSchema> {
  return {
    user_id: user.userId,
    account_id: user.accountId,
    email: user.email,
    role: user.role,
    status: user.status === "ACTIVE" ? "ACTIVE" : "INVITED",
    second_factor: user.secondFactor,
    created_at: user.createdAt.toISOString(),
    created_by: user.createdBy,
    last_sign_in_at: user.lastSignInAt?.toISOString() ?? null,
  };
}

export const ConsoleUserIdParam = Type.Object({
  user_id: Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" }),
});
