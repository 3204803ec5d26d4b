import { Type } from "typebox";
import { Timestamp } from "./common.ts";

/** What inviting a console user answers: the one-time link is shown once. */
export const ConsoleInvitationSchema = Type.Object({
  user_id: Type.String(),
  invitation_url: Type.String({ description: "One-time link where the user sets a password; shown once" }),
  expires_at: Timestamp,
});

export const ConsoleEmail = Type.String({ minLength: 3, maxLength: 254, description: "The user's email" });
