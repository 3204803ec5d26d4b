import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import { rateLimited } from "../../domain/rate-limit.ts";
import type { NamedOperator } from "../../operator-tokens-file.ts";
import type { FailureThrottle } from "../../services/failure-throttle.ts";
import type { App } from "../types.ts";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * Operator endpoints: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. Failed
 * attempts are throttled per source address (`OPERATOR_FAILURES_PER_IP`); the real token is never
 * refused by that.
 */
export function registerAdminAuth(
  app: App,
  options: { adminToken: string; operators: readonly NamedOperator[]; guard: FailureThrottle },
): void {
  const { guard } = options;
  const known = [
    { name: null, digest: digest(options.adminToken) },
    ...options.operators.map((o) => ({ name: o.name, digest: Buffer.from(o.tokenSha256, "hex") })),
  ];
  app.decorateRequest("operatorName", null);
  app.addHook("onRequest", async (request) => {
    const match = /^bearer[ ]+(\S{1,512})$/i.exec(request.headers.authorization ?? "");
    const presented = match?.[1] ? digest(match[1]) : null;
    // Every candidate is compared (in constant time each), whichever matches.
    let operator: { name: string | null } | null = null;
    for (const candidate of known) {
      if (presented && timingSafeEqual(presented, candidate.digest)) operator = candidate;
    }
    request.operatorName = operator?.name ?? null;
    if (!operator) {
      const refusal = await guard.failed(request.clientAddress);
      if (refusal) throw rateLimited(refusal, "failed operator authentications");
      throw new AppError(
        "UNAUTHORIZED",
        "Missing or invalid operator token. Send: Authorization: Bearer <token>",
      );
    }
  });
}
