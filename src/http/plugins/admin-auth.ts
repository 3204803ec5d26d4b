import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import { rateLimited } from "../../domain/rate-limit.ts";
import type { FailureThrottle } from "../../services/failure-throttle.ts";
import type { App } from "../types.ts";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * Operator endpoints: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. Failed
 * attempts are throttled per source address (`OPERATOR_FAILURES_PER_IP`); the real token is never
 * refused by that.
 */
export function registerAdminAuth(app: App, adminToken: string, guard: FailureThrottle): void {
  const expected = digest(adminToken);
  app.addHook("onRequest", async (request) => {
    const match = /^bearer[ ]+(\S{1,512})$/i.exec(request.headers.authorization ?? "");
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      const refusal = await guard.failed(request.ip);
      if (refusal) throw rateLimited(refusal, "failed operator authentications");
      throw new AppError(
        "UNAUTHORIZED",
        "Missing or invalid operator token. Send: Authorization: Bearer <token>",
      );
    }
  });
}
