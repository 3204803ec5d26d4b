import type { App, AppServices } from "../types.ts";

/**
 * The console's pages of one account: API keys, Client IDs and origins, security, audit log and
 * webhooks. Registered inside the console's session scope (`consoleRoutes`).
 */
export function consoleAccountPages(_app: App, _services: AppServices): void {}
