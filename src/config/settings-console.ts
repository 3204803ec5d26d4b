import { duration, integerAtLeast, rateLimit } from "./parse.ts";
import type { SettingTable } from "./setting.ts";

/** OWASP's least argon2id memory (19 MiB with 2 passes; these hashes make 3). */
const passwordMemory = integerAtLeast(19_456, "KiB");

/** The partner console's sign-in: how long sessions and invitations last, how many failures are allowed. */
export const consoleSettings = {
  CONSOLE_SESSION_IDLE: {
    fallback: "PT30M",
    parse: duration(60_000),
    description: "a console session ends after this long without a request (ISO 8601 duration)",
  },
  CONSOLE_SESSION_MAX: {
    fallback: "PT12H",
    parse: duration(60_000),
    description: "a console session ends this long after its sign-in, however active",
  },
  CONSOLE_SIGN_IN_STEP_TTL: {
    fallback: "PT10M",
    parse: duration(60_000),
    description:
      "a console session still signing in (second factor or its enrolment due) ends this long after the password was given, however active",
  },
  CONSOLE_INVITATION_TTL: {
    fallback: "P7D",
    parse: duration(60_000),
    description: "how long a console invitation link can be used",
  },
  CONSOLE_PASSWORD_MEMORY: {
    fallback: "65536",
    parse: passwordMemory,
    description:
      "argon2id's memory cost of console passwords in KiB (3 passes, 4 lanes); at least 19456 (19 MiB); existing hashes keep theirs",
  },
  CONSOLE_SIGN_IN_LIMIT: {
    fallback: "10/15m",
    parse: rateLimit,
    description:
      "failed console sign-ins per email and per source address (and wrong second-factor codes per user) before 429; the right password is refused too until the window ends",
  },
} satisfies SettingTable;
