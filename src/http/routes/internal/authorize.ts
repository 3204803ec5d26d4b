import type { FastifyReply, FastifyRequest } from "fastify";
import { errorBody, invalidParameter } from "../../../domain/errors.ts";
import { ENVIRONMENTS, type Environment } from "../../../domain/types.ts";
import {
  identityHeaderNames,
  identityHeaders,
  statusHeaders,
} from "../../../services/authorization-headers.ts";
import { clientAddressSource, clientCertificateSource, type TransportOptions } from "../../transport.ts";
import type { App, AppServices } from "../../types.ts";
import { encodeDenial } from "./denial.ts";

const METHODS = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT", "OPTIONS"];

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Forward authentication for existing proxies (nginx `auth_request`, Traefik `forwardAuth`, Envoy
 * `ext_authz`): the original request arrives as headers; the answer is 200 with identity headers,
 * or the same status and Klarna error body the API itself would give, so the proxy can relay it.
 * `environment` and `category` come from the query (`?environment=LIVE&category=payments`) or
 * from proxy-set headers. Envoy's path prefix form (`/internal/v1/authorize/<original path>`) is
 * accepted too.
 */
export function authorize(
  app: App,
  services: AppServices,
  options: { transport: TransportOptions; headerPrefix: string },
): void {
  const prefix = options.headerPrefix;
  const lower = (name: string): string => name.toLowerCase();
  const names = identityHeaderNames(prefix);
  const environmentHeader = lower(names.environment);
  const categoryHeader = lower(`X-${prefix}-Category`);
  const partnerAccountHeader = lower(`${prefix}-Partner-Account`);
  const denialHeader = `X-${prefix}-Auth-Denial`;
  const certificateOf = clientCertificateSource(options.transport);
  const addressOf = clientAddressSource(options.transport);

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const query = request.query as Record<string, string | undefined>;
    const declared = query.environment ?? single(request.headers[environmentHeader]);
    const environment = declared === undefined ? null : declared.toUpperCase();
    if (environment !== null && !ENVIRONMENTS.includes(environment as Environment)) {
      throw invalidParameter("environment", "must be LIVE or TEST");
    }
    const category = query.category ?? single(request.headers[categoryHeader]) ?? "API";
    const decision = await services.authorizer.authorize({
      entry: "forward_auth",
      authorization: single(request.headers.authorization),
      partnerAccount: single(request.headers[partnerAccountHeader]),
      clientCertificate: certificateOf(request),
      sourceIp: addressOf(request),
      category,
      environment: environment as Environment | null,
    });
    const status = statusHeaders(decision, prefix);
    if (decision.outcome !== "ALLOWED") {
      const { error } = decision;
      const body = errorBody(error);
      const headers = { ...status, ...error.headers };
      request.log.info(
        {
          auth: decision.keyResult ?? decision.outcome,
          original_method: single(
            request.headers["x-original-method"] ?? request.headers["x-forwarded-method"],
          ),
        },
        "forward-auth refused",
      );
      return reply
        .code(error.status)
        .headers(headers)
        .header(denialHeader, encodeDenial({ status: error.status, headers, body }))
        .type("application/json; charset=utf-8")
        .send(body);
    }
    return reply
      .code(200)
      .headers(status)
      .headers(identityHeaders(decision, prefix))
      .header(names.identity, await services.identity.sign(decision))
      .send();
  };

  const schema = { hide: true };
  app.route({ method: METHODS, url: "/internal/v1/authorize", schema, handler });
  app.route({ method: METHODS, url: "/internal/v1/authorize/*", schema, handler });
}
