import { rateLimitHeaders } from "../../../domain/rate-limit.ts";
import { ErrorBody } from "../../schemas/common.ts";
import {
  LeakReportBody,
  LeakVerdictsSchema,
  leakReportErrors,
  presentVerdicts,
} from "../../schemas/leak-report.ts";
import type { App, AppServices } from "../../types.ts";

/**
 * The provider's own scanners report leaked tokens here, as GitHub does at
 * `/v1/secret-scanning/reports` but authenticated by a service token (no signature): the same
 * processing, answer and limits, the budget counted per service token.
 */
export function reportLeaks(app: App, services: AppServices): void {
  app.post(
    "/internal/v1/leaks",
    {
      schema: {
        operationId: "reportLeaks",
        tags: ["Internal"],
        summary: "Report tokens found leaked: live keys are disabled at once, as for GitHub's reports",
        body: LeakReportBody,
        response: {
          200: LeakVerdictsSchema,
          ...leakReportErrors,
          401: {
            ...ErrorBody,
            description: "Missing, unknown or revoked service token (SERVICE_UNAUTHORIZED)",
          },
        },
      },
    },
    async (request, reply) => {
      const presented = request.headers["x-service-token"];
      // Verified already by the scope's hook (a cache hit here): this names its budget.
      const token = await services.serviceTokens.verify(
        typeof presented === "string" ? presented : undefined,
      );
      const name = token?.name ?? "unknown";
      reply.headers(rateLimitHeaders(await services.leakReports.admit({ kind: "service", name })));
      const verdicts = await services.leakReports.process(request.body, {
        reporter: { kind: "service", name },
        sourceIp: request.clientAddress,
      });
      return presentVerdicts(verdicts);
    },
  );
}
