import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateOpenApi } from "../scripts/openapi.ts";
import { startHarness } from "./harness.ts";

describe("OpenAPI document", () => {
  it("the committed openapi.json is the one generated from the route schemas (run `npm run openapi`)", async () => {
    const committed = readFileSync(new URL("../openapi.json", import.meta.url), "utf8");
    expect(await generateOpenApi()).toBe(committed);
  });

  it("is served at /openapi.json with a docs page at /docs", async () => {
    const h = await startHarness();
    try {
      const spec = await h.app.inject({ method: "GET", url: "/openapi.json" });
      expect(spec.statusCode).toBe(200);
      const document = JSON.parse(spec.body) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toBe("3.0.3");
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
      const docs = await h.app.inject({ method: "GET", url: "/docs/" });
      expect(docs.statusCode).toBe(200);
      expect(docs.body).toContain("swagger");
    } finally {
      await h.close();
    }
  });
});
