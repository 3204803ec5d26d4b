import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect } from "vitest";
import { generateOpenApi } from "../scripts/openapi.ts";
import { it } from "./fixtures.ts";

type Document = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<
    string,
    Record<string, { parameters?: { $ref?: string }[]; responses: Record<string, Record<string, unknown>> }>
  >;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { headers?: Record<string, unknown> }>;
  };
};

describe("OpenAPI documents", () => {
  it("the committed openapi.json and openapi-internal.json are the ones generated from the route schemas (run `npm run openapi`)", async () => {
    const generated = await generateOpenApi();
    expect(generated.partner).toBe(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"));
    expect(generated.internal).toBe(
      readFileSync(new URL("../openapi-internal.json", import.meta.url), "utf8"),
    );
  });

  it("the SDK's wire types are generated from the committed openapi.json", () => {
    const client = new URL("../packages/client/", import.meta.url).pathname;
    const generated = execFileSync(`${client}node_modules/.bin/openapi-typescript`, ["../../openapi.json"], {
      cwd: client,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    expect(generated).toBe(readFileSync(`${client}src/openapi.ts`, "utf8"));
  });

  it("names its schemas once, describes every response and documents the headers", () => {
    const text = readFileSync(new URL("../openapi.json", import.meta.url), "utf8");
    // About 4.5 kB an operation once its schemas and errors are referred to: a copy inline would break it.
    expect(text.length).toBeLessThan(420_000);
    const document = JSON.parse(text) as Document;
    expect(document.servers).toEqual([{ url: "http://127.0.0.1:8080" }]);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        "ErrorBody",
        "Credential",
        "CreatedCredential",
        "Account",
        "ClientCertificate",
      ]),
    );
    // One error body, referred to: no operation carries a copy of it.
    expect(text.split('"error_id": {').length - 1).toBe(1);
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const descriptions = operations.flatMap((operation) =>
      Object.values(operation.responses).map((response) => response.description ?? response.$ref),
    );
    expect(descriptions.filter((d) => d === "Default Response" || d === undefined)).toEqual([]);
    const create = document.paths["/v1/account/credentials"]?.post;
    expect(create?.parameters?.map((p) => p.$ref)).toEqual([
      "#/components/parameters/PartnerCorrelationId",
      "#/components/parameters/IdempotencyKey",
      "#/components/parameters/PartnerAccount",
    ]);
    expect(Object.keys(create?.responses["200"]?.headers as object)).toEqual(
      expect.arrayContaining([
        "X-Ratelimit-Limit",
        "Klarna-Mtls-Verification-Status",
        "Klarna-Idempotent-Replayed",
      ]),
    );
    expect(Object.keys(document.components.responses.PartnerError429?.headers ?? {})).toContain(
      "Retry-After",
    );
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v2/account/integration/credentials/api-key",
        "/v2/account/integration/inbound-restriction/ip",
      ]),
    );
  });

  it("serves the partner document on the partners' listener and the operator one on the internal listener", async ({
    harness: h,
  }) => {
    const spec = await h.app.inject({ method: "GET", url: "/openapi.json" });
    expect(spec.statusCode).toBe(200);
    const document = JSON.parse(spec.body) as Document;
    expect(document.openapi).toBe("3.0.3");
    expect(document.servers).toEqual([{ url: "https://partners.example" }]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v1/account/credentials",
        "/v1/accounts/{account_id}/credentials/{credential_id}",
        "/onboarding/{token}",
      ]),
    );
    // Operator, internal and metrics routes live on the internal listener only.
    expect(Object.keys(document.paths).filter((path) => /^\/(admin|internal|metrics)/.test(path))).toEqual(
      [],
    );
    // The same document on every request.
    expect((await h.app.inject({ method: "GET", url: "/openapi.json" })).body).toBe(spec.body);
    const docs = await h.app.inject({ method: "GET", url: "/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger");

    const internal = JSON.parse(
      (await h.internal.inject({ method: "GET", url: "/openapi.json" })).body,
    ) as Document;
    expect(Object.keys(internal.paths)).toEqual(
      expect.arrayContaining([
        "/admin/v1/accounts",
        "/admin/v1/accounts/{account_id}/suspend",
        "/admin/v1/service-tokens",
      ]),
    );
    expect(Object.keys(internal.paths).filter((path) => path.startsWith("/v1/"))).toEqual([]);
    expect((await h.internal.inject({ method: "GET", url: "/docs/" })).statusCode).toBe(200);
  });
});
