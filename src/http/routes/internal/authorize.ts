import type { FastifyReply, FastifyRequest } from "fastify";
import { invalidParameter } from "../../../domain/errors.ts";
import { ENVIRONMENTS, type Environment } from "../../../domain/types.ts";
import {
  identityHeaderNames,
  identityHeaders,
  statusHeaders,
} from "../../../services/authorization-headers.ts";
import { errorBody } from "../../error-body.ts";
import {
  ALL_METHODS,
  clientAddressSource,
  clientCertificateSource,
  partnerAccountHeaderSource,
  type TransportOptions,
} from "../../transport.ts";
import type { App, AppServices } from "../../types.ts";
import { encodeDenial } from "./denial.ts";

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/** One setting, from the authorize URL's query (written in the proxy's configuration) or a header. */
function setting(name: string, query: unknown, header: string | string[] | undefined): string | undefined {
  if (query !== undefined && typeof query !== "string") throw invalidParameter(name, "must be given once");
  if (query !== undefined) return query;
  if (Array.isArray(header)) throw invalidParameter(name, "must be given once");
  return header;
}

/**
 * Forward authentication for existing proxies (nginx `auth_request`, Traefik `forwardAuth`, Envoy
 * `ext_authz`): the original request arrives as headers; the answer is 200 with identity headers,
 * or the same status and Klarna error body the API itself would give, so the proxy can relay it.
 * `environment` and `category` come from the authorize URL's query (`?environment=LIVE&category=
 * payments`, as nginx and Traefik are configured) or from headers the proxy sets. In Envoy's path
 * prefix form (`/internal/v1/authorize/<original path and query>`) the query is the partner's own,
 * so only the headers count there.
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
  const partnerAccountOf = partnerAccountHeaderSource(prefix);
  const denialHeader = `X-${prefix}-Auth-Denial`;
  const certificateOf = clientCertificateSource(options.transport);
  const addressOf = clientAddressSource(options.transport);

  /** `fromProxy`: the query is the authorize URL's own (not Envoy's path prefix form). */
  const handlerFor =
    (fromProxy: boolean) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const query = (fromProxy ? request.query : {}) as Record<string, unknown>;
      const declared = setting("environment", query.environment, request.headers[environmentHeader]);
      const environment = declared === undefined ? null : declared.toUpperCase();
      if (environment !== null && !ENVIRONMENTS.includes(environment as Environment)) {
        throw invalidParameter("environment", "must be LIVE or TEST");
      }
      const category = setting("category", query.category, request.headers[categoryHeader]) ?? "API";
      const decision = await services.authorizer.authorize({
        entry: "forward_auth",
        authorization: single(request.headers.authorization),
        partnerAccount: partnerAccountOf(request),
        clientCertificate: certificateOf(request),
        sourceIp: addressOf(request),
        category,
        environment: environment as Environment | null,
      });
      const status = statusHeaders(decision, prefix);
      if (decision.outcome !== "ALLOWED") {
        const { error } = decision;
        const body = errorBody(error, request.server.docsUrl);
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
      const identity = await services.identity.sign(decision);
      return reply
        .code(200)
        .headers(status)
        .headers(identityHeaders(decision, prefix))
        .header(names.identity, identity)
        .send();
    };

  const schema = { hide: true };
  app.route({ method: ALL_METHODS, url: "/internal/v1/authorize", schema, handler: handlerFor(true) });
  app.route({ method: ALL_METHODS, url: "/internal/v1/authorize/*", schema, handler: handlerFor(false) });
}
