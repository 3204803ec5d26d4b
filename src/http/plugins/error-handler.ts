import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, ERROR_CODES, type ErrorCode, type ValidationIssue } from "../../domain/errors.ts";
import { StoreUnavailableError } from "../../store/errors.ts";
import { CONSOLE_PREFIX, consoleCspHeader, consoleErrorPage } from "../console/layout.ts";
import { errorBody } from "../error-body.ts";
import type { App } from "../types.ts";

interface AjvIssue {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Fastify's own errors (parsing, limits) in terms of our error table. */
const FRAMEWORK_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "PAYLOAD_TOO_LARGE", message: "Request body exceeds 1 MB" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Send the body as application/json",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "VALIDATION_ERROR", message: "The body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "VALIDATION_ERROR", message: "The JSON body is empty" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: "VALIDATION_ERROR",
    message: "Content-Length does not match the body",
  },
};

function parameterOf(context: string | undefined, issue: AjvIssue): string {
  const path = issue.instancePath
    .split("/")
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const extra = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof extra === "string") path.push(extra);
  // `line_items[0].quantity`, as the reference API names parameters.
  if (path.length > 0)
    return path.reduce(
      (name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part),
      "",
    );
  return context === "body" ? "body" : (context ?? "request");
}

function reasonOf(issue: AjvIssue): string {
  if (typeof issue.params.additionalProperty === "string") return "is not a known field";
  if (Array.isArray(issue.params.allowedValues)) {
    return `must be one of ${issue.params.allowedValues.join(", ")}`;
  }
  return issue.message ?? "is invalid";
}

export function validationIssues(error: FastifyError): ValidationIssue[] {
  const issues = (error.validation ?? []) as AjvIssue[];
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    const parameter = parameterOf(error.validationContext, issue);
    const message = reasonOf(issue);
    const key = `${parameter}\n${message}`;
    if (!seen.has(key)) out.push({ parameter, message });
    seen.add(key);
  }
  return out;
}

export function toAppError(error: FastifyError | AppError | Error): AppError | null {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const issues = validationIssues(fastifyError);
    const where = issues.map((i) => i.parameter).join(", ");
    return new AppError("VALIDATION_ERROR", `Invalid request: check ${where}`, issues);
  }
  const known = fastifyError.code ? FRAMEWORK_CODES[fastifyError.code] : undefined;
  if (known) return new AppError(known.code, known.message);
  // The store's adapters raise this for every failure that passes by itself (see store/errors.ts).
  if (error instanceof StoreUnavailableError) {
    return new AppError("SERVICE_UNAVAILABLE", "The service is temporarily unavailable; retry shortly");
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 404) return new AppError("NOT_FOUND", "Not found");
  if (status >= 400 && status < 500) return new AppError("VALIDATION_ERROR", "The request could not be read");
  return null;
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .type("application/json; charset=utf-8")
    .send(errorBody(error, reply.server.docsUrl));
}

/** Errors Fastify raises while routing, before any hook runs. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? new AppError("URI_TOO_LONG", "A path parameter is too long")
      : new AppError("VALIDATION_ERROR", "The request URL is malformed");
  // The console answers in pages, even before its scope has seen the request.
  if (request.url.startsWith(CONSOLE_PREFIX)) {
    reply
      .code(known.status)
      .headers({ "cache-control": "no-store", "content-security-policy": consoleCspHeader() })
      .type("text/html; charset=utf-8")
      .send(consoleErrorPage(request, known));
    return;
  }
  sendError(reply, known);
}

/** Every non-2xx answer in the contract's error body; anything unexpected is a logged 500 without details. */
export function registerErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toAppError(error);
    if (known) return sendError(reply, known);
    request.log.error({ err: error }, "unhandled error");
    return sendError(
      reply,
      new AppError("TECHNICAL_ERROR", "Something went wrong on our side; try again later"),
    );
  });
  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, new AppError("NOT_FOUND", "No such endpoint")),
  );
}

/**
 * Requests Node cannot even parse (malformed or oversized header blocks) never reach Fastify:
 * answer them on the socket with the contract's error body, and log nothing of their bytes.
 */
export function clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return;
  const [code, reason, message]: [ErrorCode, string, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["HEADERS_TOO_LARGE", "Request Header Fields Too Large", "Request headers are too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["REQUEST_TIMEOUT", "Request Timeout", "The request did not arrive in time"]
        : ["VALIDATION_ERROR", "Bad Request", "The request could not be parsed as HTTP"];
  const body = JSON.stringify({
    error_id: randomUUID(),
    error_type: ERROR_CODES[code].type,
    error_code: code,
    error_message: message,
  });
  const status = ERROR_CODES[code].status;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      "Content-Type: application/json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
