import cookie from "@fastify/cookie";
import csrfProtection from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { type ConsoleCapability, roleMay } from "../../domain/console-roles.ts";
import type { ConsoleSession } from "../../domain/console-user.ts";
import { AppError, notFound } from "../../domain/errors.ts";
import { rateLimited } from "../../domain/rate-limit.ts";
import { type Account, ENVIRONMENTS } from "../../domain/types.ts";
import { suspensionRefusal } from "../../services/request-authorizer.ts";
import type { RequestContext } from "../../services/runtime.ts";
import { CONSOLE_CSP, consoleErrorPage, homeOf } from "../console/layout.ts";
import { clientAddressSource, type TransportOptions } from "../transport.ts";
import type { App, AppServices } from "../types.ts";
import { toAppError } from "./error-handler.ts";
import { registerTlsRequirement } from "./require-tls.ts";

/** The session cookie: only the session token's SHA-256 is stored server-side. */
export const CONSOLE_SESSION_COOKIE = "__Host-console";
/** The CSRF secret's cookie (`@fastify/csrf-protection`): forms carry a token made from it. */
export const CONSOLE_CSRF_COOKIE = "__Host-console-csrf";

/** `__Host-` cookies: sent only over HTTPS (or to loopback), never to scripts, never cross-site. */
const COOKIE_OPTIONS = { path: "/", secure: true, httpOnly: true, sameSite: "strict" } as const;

const ASSETS_PREFIX = "/console/assets/";
/** The API's budget that the console's changes to an account count against too. */
const CONSOLE_CHANGE_CATEGORY = "PARTNER_MANAGEMENT";
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);
/** Session tokens are 43 base64url characters; anything much longer is not looked up. */
const MAX_TOKEN_LENGTH = 128;

declare module "fastify" {
  interface FastifyRequest {
    /** The console session of the request's cookie (any stage); null without one. */
    consoleSession: ConsoleSession | null;
    /** The token of that session, as the cookie carried it. */
    consoleSessionToken: string | null;
    /** The client's address, as the API sees it (`consoleClientAddress`). */
    consoleAddress: string | null;
  }
  interface FastifyInstance {
    /** The services, inside the console's scope (for `consoleAccount`). */
    consoleServices: AppServices;
  }
}

function isAsset(request: FastifyRequest): boolean {
  return request.url.startsWith(ASSETS_PREFIX);
}

/**
 * The client's address, worked out once per request as the API does (`X-Real-IP` or
 * `X-Forwarded-For` believed from a trusted proxy only): what sign-in throttling, the IP lock-out
 * guard and audit events see.
 */
export function consoleClientAddress(request: FastifyRequest): string {
  return request.consoleAddress ?? request.ip;
}

/** Sets the session cookie to a new token (after sign-in, enrolment, the second factor). */
export function setConsoleSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(CONSOLE_SESSION_COOKIE, token, COOKIE_OPTIONS);
}

/** Removes the session cookie from the browser. */
export function clearConsoleSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(CONSOLE_SESSION_COOKIE, COOKIE_OPTIONS);
}

/** Where a session that has not finished signing in goes next; null once SIGNED_IN. */
export function pendingStagePath(session: Pick<ConsoleSession, "stage">): string | null {
  if (session.stage === "ENROL") return "/console/two-factor/enrol";
  if (session.stage === "SECOND_FACTOR") return "/console/two-factor";
  return null;
}

/** Where a browser with this session (or none) goes: signing in, its next step, or the user's home. */
export function whereNext(session: ConsoleSession | null): string {
  if (!session) return "/console/sign-in";
  return pendingStagePath(session) ?? homeOf(session);
}

/** The signed-in user's session; throws when the request is not fully signed in. */
export function consoleSessionOf(request: FastifyRequest): ConsoleSession {
  const session = request.consoleSession;
  if (session?.stage !== "SIGNED_IN") {
    throw new AppError("UNAUTHORIZED", "Sign in to the console to continue");
  }
  return session;
}

/**
 * A route's preHandler: without a session, to the sign-in page; half signed in, to the second
 * factor; signed in with a role that may not do `capability`, a 403 page.
 */
export function requireConsole(
  capability: ConsoleCapability,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const session = request.consoleSession;
    if (!session) {
      await reply.redirect("/console/sign-in", 303);
      return;
    }
    const pending = pendingStagePath(session);
    if (pending) {
      await reply.redirect(pending, 303);
      return;
    }
    if (!roleMay(session.user.role, capability)) {
      throw new AppError("FORBIDDEN", "Your role does not allow this. Ask an owner of the account.");
    }
  };
}

/** The account of each request, resolved (and its POST counted) once however often it is asked. */
const resolvedAccounts = new WeakMap<FastifyRequest, Promise<Account>>();

/**
 * The account the path names (`:account_id`): the user's own, or a Partner Account it manages;
 * operators reach any. Anything else is "not found", so account ids are never confirmed. As
 * through the API with a key of the user's account: while that account is suspended every page is
 * refused with the API's error, and each change counts against the accounts' PARTNER_MANAGEMENT
 * budgets. Operators are neither refused nor counted (they resume accounts, and the admin API has
 * no such budget).
 */
export function consoleAccount(request: FastifyRequest): Promise<Account> {
  let account = resolvedAccounts.get(request);
  if (!account) {
    account = resolveConsoleAccount(request);
    resolvedAccounts.set(request, account);
  }
  return account;
}

async function resolveConsoleAccount(request: FastifyRequest): Promise<Account> {
  const { user } = consoleSessionOf(request);
  const services = request.server.consoleServices;
  const accountId = (request.params as { account_id?: unknown } | undefined)?.account_id;
  if (typeof accountId !== "string" || accountId === "") throw notFound("Account");
  if (user.role === "operator") {
    const account = await services.accounts.get(accountId);
    if (!account) throw notFound("Account");
    return account;
  }
  if (user.accountId === null) throw notFound("Account");
  const own = await services.accounts.get(user.accountId);
  if (!own) throw notFound("Account");
  const refusal = suspensionRefusal(own);
  if (refusal) throw refusal;
  const target = own.accountId === accountId ? own : await services.accounts.resolveManaged(own, accountId);
  if (!SAFE_METHODS.has(request.method)) {
    const rate = await services.rateLimits.consumeFor(own, target, CONSOLE_CHANGE_CATEGORY);
    if (rate && !rate.allowed) throw rateLimited(rate, "requests for this account");
  }
  return target;
}

/**
 * Who a console request acts as, for the services and their audit events: an account's user
 * (`user:<email>`) or an operator (`operator:<email>`), seeing both environments, with every
 * permission its role allows (the role is checked by `requireConsole`).
 */
export function consoleContext(request: FastifyRequest): RequestContext {
  const { user } = consoleSessionOf(request);
  return {
    actor:
      user.role === "operator"
        ? { kind: "operator", name: user.email }
        : { kind: "user", userId: user.userId, email: user.email },
    sourceIp: consoleClientAddress(request),
    environments: ENVIRONMENTS,
    permissions: null,
  };
}

function isCsrfError(error: FastifyError): boolean {
  return error.code === "FST_CSRF_INVALID_TOKEN" || error.code === "FST_CSRF_MISSING_SECRET";
}

/** Every error of the console as an HTML page, with the status the API would answer with. */
function consoleErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let known: AppError | null;
  if (isCsrfError(error)) {
    known = new AppError(
      "FORBIDDEN",
      "This form has expired or did not come from the console. Go back, reload the page and try again.",
    );
  } else {
    known = toAppError(error);
  }
  if (!known) {
    request.log.error({ err: error }, "unhandled error");
    known = new AppError("TECHNICAL_ERROR", "Something went wrong on our side; try again later");
  }
  return reply
    .code(known.status)
    .headers(known.headers)
    .type("text/html; charset=utf-8")
    .send(consoleErrorPage(request, known));
}

/**
 * The console's scope: cookies, form bodies, CSRF on every POST, a strict CSP and security headers,
 * `Cache-Control: no-store`, the session of the `__Host-console` cookie, and errors as HTML pages.
 * Everything registered on `scope` afterwards (the console's routes) runs inside it; the API's
 * JSON errors elsewhere are untouched.
 */
export async function registerConsoleSession(
  scope: App,
  options: { services: AppServices; transport: TransportOptions },
): Promise<void> {
  const { services } = options;
  const addressOf = clientAddressSource(options.transport);
  scope.decorate("consoleServices", services);
  scope.decorateRequest("consoleSession", null);
  scope.decorateRequest("consoleSessionToken", null);
  scope.decorateRequest("consoleCsrfToken", null);
  scope.decorateRequest("consoleAddress", null);
  scope.setErrorHandler(consoleErrorHandler);
  registerTlsRequirement(scope, options.transport);

  await scope.register(cookie);
  await scope.register(formbody, { bodyLimit: 64 * 1024 });
  await scope.register(csrfProtection, {
    cookieKey: CONSOLE_CSRF_COOKIE,
    cookieOpts: COOKIE_OPTIONS,
    // Forms only: the token travels in the body's `_csrf` field.
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | null | undefined;
      const token = typeof body === "object" && body !== null ? body._csrf : undefined;
      return typeof token === "string" ? token : undefined;
    },
  });
  await scope.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP },
    // Set by the request context over our own TLS; a plain loopback listener must not claim it.
    strictTransportSecurity: false,
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });

  scope.addHook("onRequest", async (request, reply) => {
    request.consoleAddress = addressOf(request);
    if (isAsset(request)) return;
    reply.header("Cache-Control", "no-store");
    reply.header("X-Robots-Tag", "noindex, nofollow");
    let token: string | null = null;
    request.consoleCsrfToken = () => {
      token ??= reply.generateCsrf();
      return token;
    };
  });

  scope.addHook("preValidation", async (request, reply) => {
    if (isAsset(request)) return;
    const token = request.cookies[CONSOLE_SESSION_COOKIE];
    if (!token) return;
    const session = token.length <= MAX_TOKEN_LENGTH ? await services.consoleIdentity.session(token) : null;
    if (!session) {
      clearConsoleSessionCookie(reply);
      return;
    }
    request.consoleSession = session;
    request.consoleSessionToken = token;
  });

  // Every POST (any unsafe method) carries the form's token; without it the answer is a 403 page.
  scope.addHook("preValidation", (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) return done();
    scope.csrfProtection(request, reply, done);
  });
}
