import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { registerSharedSchemas } from "./schemas/shared.ts";
import type { App } from "./types.ts";

type Json = Record<string, unknown>;
type Operation = {
  summary?: string;
  security?: unknown[];
  parameters?: Json[];
  responses?: Record<string, Json>;
};

const STATUS_TEXT: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "204": "Done, no content",
  "302": "Redirect",
};

export interface OpenApiOptions {
  title: string;
  description: string;
  /** Where clients reach this listener (`PUBLIC_URL` for the partners' one). */
  serverUrl: string;
  headerPrefix: string;
  securitySchemes: Json;
  /** The scheme every operation uses unless it says otherwise. */
  security: Json[];
  /** Whether operations under this path are authenticated partner calls (rate limits, mTLS and IP status). */
  isPartnerCall(path: string): boolean;
  /** Operations under this path use another scheme than `security` (null: the default). */
  securityOf?(path: string): Json[] | null;
}

/** The headers the service documents once and every operation refers to. */
function headerComponents(prefix: string): { headers: Json; parameters: Json } {
  const text = (description: string, extra: Json = {}) => ({
    description,
    schema: { type: "string", ...extra },
  });
  return {
    headers: {
      CorrelationId: text("Unique per request; quote it to support", { format: "uuid" }),
      PartnerCorrelationId: text("Your Partner-Correlation-Id, echoed back when valid"),
      Warning: text("Present when a Partner-Correlation-Id was ignored (not 1 to 255 letters or digits)"),
      RateLimitLimit: text(
        "The limit reported, then each limit that counted the request as `<requests>;w=<window seconds>`",
        { example: "40, 40;w=1" },
      ),
      RateLimitRemaining: { description: "Requests left in the window", schema: { type: "integer" } },
      RateLimitReset: { description: "Seconds until the window resets", schema: { type: "integer" } },
      RetryAfter: { description: "Seconds to wait before retrying", schema: { type: "integer" } },
      MtlsVerificationStatus: text("The client certificate's status, once the account has one", {
        enum: ["NOT_PRESENT", "VALID", "INVALID"],
      }),
      IpValidationStatus: text("The caller's address against the allow-list, in REPORTING mode", {
        enum: ["ALLOWED", "DENIED"],
      }),
      MtlsEnforcement: text("An Acquiring Partner that must enforce mTLS and has not yet", {
        enum: ["REQUIRED_NOT_ENFORCED"],
      }),
      MtlsEnforcementDeadline: text("From then on its calls are refused until mTLS is enforced", {
        format: "date-time",
      }),
      IdempotentReplayed: text(
        "`true` when this is the stored answer to an earlier request with the same key",
        {
          enum: ["true"],
        },
      ),
    },
    parameters: {
      IdempotencyKey: {
        name: `${prefix}-Idempotency-Key`,
        in: "header",
        required: false,
        description:
          "1 to 255 printable ASCII characters (a UUID is recommended): a repeat within 24 h returns the first answer",
        schema: { type: "string", maxLength: 255 },
      },
      PartnerCorrelationId: {
        name: "Partner-Correlation-Id",
        in: "header",
        required: false,
        description:
          "Your own id for the request, echoed back; 1 to 255 letters or digits (anything else is ignored)",
        schema: { type: "string", pattern: "^[A-Za-z0-9]{1,255}$" },
      },
      PartnerAccount: {
        name: `${prefix}-Partner-Account`,
        in: "header",
        required: false,
        description:
          "An Acquiring Partner acting for one of its Partner Accounts (same as the /accounts/{account_id} path form)",
        schema: { type: "string", pattern: "^krn:partner:global:account:(live|test):[A-Z0-9]{8}$" },
      },
    },
  };
}

const ref = (kind: "headers" | "parameters", name: string) => ({ $ref: `#/components/${kind}/${name}` });

/**
 * Response descriptions, parameters and headers that every route would otherwise repeat. Error
 * responses become shared components (`#/components/responses/PartnerError401`), their headers
 * written once.
 */
function completeOperations(document: Json, prefix: string, options: OpenApiOptions): Json {
  const { isPartnerCall } = options;
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  const components = document.components as Json;
  const sharedResponses: Record<string, Json> = {};
  components.responses = sharedResponses;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const partner = isPartnerCall(path);
      const security = options.securityOf?.(path) ?? null;
      if (security && operation.security === undefined) operation.security = security;
      const writes = method === "post" || method === "patch";
      operation.parameters = [
        ...(operation.parameters ?? []),
        ref("parameters", "PartnerCorrelationId"),
        ...(partner && writes ? [ref("parameters", "IdempotencyKey")] : []),
        ...(partner && /^\/v[12]\/account(\/|$)/.test(path) ? [ref("parameters", "PartnerAccount")] : []),
      ];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response.description === "Default Response") {
          const phrase = STATUS_TEXT[status] ?? status;
          response.description = operation.summary ? `${phrase}: ${operation.summary}` : phrase;
        }
        const success = status.startsWith("2");
        response.headers = {
          ...((response.headers as Json | undefined) ?? {}),
          [`${prefix}-Correlation-Id`]: ref("headers", "CorrelationId"),
          "Partner-Correlation-Id": ref("headers", "PartnerCorrelationId"),
          Warning: ref("headers", "Warning"),
          ...(partner
            ? {
                "X-Ratelimit-Limit": ref("headers", "RateLimitLimit"),
                "X-Ratelimit-Remaining": ref("headers", "RateLimitRemaining"),
                "X-Ratelimit-Reset": ref("headers", "RateLimitReset"),
                [`${prefix}-Mtls-Verification-Status`]: ref("headers", "MtlsVerificationStatus"),
                [`${prefix}-Ip-Validation-Status`]: ref("headers", "IpValidationStatus"),
                [`${prefix}-Mtls-Enforcement`]: ref("headers", "MtlsEnforcement"),
                [`${prefix}-Mtls-Enforcement-Deadline`]: ref("headers", "MtlsEnforcementDeadline"),
              }
            : {}),
          ...(partner && writes && success
            ? { [`${prefix}-Idempotent-Replayed`]: ref("headers", "IdempotentReplayed") }
            : {}),
          ...(status === "429" || status === "503" ? { "Retry-After": ref("headers", "RetryAfter") } : {}),
        };
        if (success || !operation.responses) continue;
        const name = `${partner ? "Partner" : ""}Error${status}`;
        const known = sharedResponses[name];
        if (known === undefined) sharedResponses[name] = response;
        if (known === undefined || known.description === response.description) {
          operation.responses[status] = { $ref: `#/components/responses/${name}` };
        }
      }
    }
  }
  return withoutUnusedComponents(document);
}

/** Drops the named headers, parameters and schemas no operation of this document refers to. */
function withoutUnusedComponents(document: Json): Json {
  const components = document.components as Record<string, Record<string, unknown>>;
  for (;;) {
    const text = JSON.stringify({ ...document, components: { ...components, securitySchemes: {} } });
    let dropped = false;
    for (const kind of ["headers", "parameters", "schemas", "responses"]) {
      for (const name of Object.keys(components[kind] ?? {})) {
        const used = text.split(`"#/components/${kind}/${name}"`).length - 1;
        // A component's own definition never refers to itself.
        if (used === 0) {
          delete components[kind]?.[name];
          dropped = true;
        }
      }
    }
    if (!dropped) return document;
  }
}

/**
 * The listener's OpenAPI document at `/openapi.json` and its reference pages at `/docs`: named
 * schemas instead of copies, real response descriptions, documented headers, `servers`.
 */
export async function registerOpenApi(app: App, options: OpenApiOptions): Promise<void> {
  const components = headerComponents(options.headerPrefix);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: options.title,
        version: "1",
        description: options.description,
        license: { name: "Proprietary (UNLICENSED)" },
      },
      servers: [{ url: options.serverUrl }],
      components: { securitySchemes: options.securitySchemes, ...components } as never,
      security: options.security as never,
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (documentObject) =>
      completeOperations(
        (documentObject as { openapiObject: Json }).openapiObject,
        options.headerPrefix,
        options,
      ) as never,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  registerSharedSchemas(app);
}
