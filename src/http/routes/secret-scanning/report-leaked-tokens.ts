import { Type } from "typebox";
import { ErrorBody } from "../../schemas/common.ts";
import {
  LeakReportBody,
  LeakVerdictsSchema,
  leakReportErrors,
  presentVerdicts,
} from "../../schemas/leak-report.ts";
import type { App, AppServices } from "../../types.ts";

/**
 * GitHub's secret-scanning partner program: GitHub posts the tokens of this service's format it
 * found in public, signed with one of its published keys. The body stays raw bytes until the
 * signature over them holds (the route group's parser and hook); then it is read as JSON, checked,
 * and every token judged.
 */
export function reportLeakedTokens(app: App, services: AppServices): void {
  app.post(
    "/v1/secret-scanning/reports",
    {
      schema: {
        operationId: "reportLeakedTokens",
        tags: ["Secret scanning"],
        summary:
          "GitHub secret scanning: tokens of this service's format found in public; live keys are disabled at once",
        security: [],
        headers: Type.Object({
          "github-public-key-identifier": Type.String({
            description: "Which of GitHub's published keys signed the body (SECRET_SCANNING_KEYS_FILE)",
          }),
          "github-public-key-signature": Type.String({
            description: "Base64 of the DER ECDSA P-256 / SHA-256 signature over the raw body",
          }),
        }),
        body: LeakReportBody,
        response: {
          200: LeakVerdictsSchema,
          ...leakReportErrors,
          401: {
            ...ErrorBody,
            description:
              "Unsigned, signed with a key the keys file does not list, or a signature that does not sign the body (UNAUTHORIZED); nothing processed",
          },
          403: { ...ErrorBody, description: "Plain HTTP from outside (TLS_REQUIRED)" },
        },
      },
    },
    async (request) => {
      const verdicts = await services.leakReports.process(request.body, {
        reporter: {
          kind: "github",
          keyIdentifier: String(request.headers["github-public-key-identifier"]),
        },
        sourceIp: request.clientAddress,
      });
      return presentVerdicts(verdicts);
    },
  );
}
