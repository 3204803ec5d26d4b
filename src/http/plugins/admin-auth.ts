import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import type { App } from "../types.ts";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Operator endpoints: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function registerAdminAuth(app: App, adminToken: string): void {
  const expected = digest(adminToken);
  app.addHook("onRequest", async (request) => {
    const match = /^bearer[ ]+(\S{1,512})$/i.exec(request.headers.authorization ?? "");
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      throw new AppError(
        "UNAUTHORIZED",
        "Missing or invalid operator token. Send: Authorization: Bearer <token>",
      );
    }
  });
}
