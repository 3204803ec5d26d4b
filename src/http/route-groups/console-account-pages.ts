import { accountAddOrigin } from "../routes/console/account-add-origin.ts";
import { accountAudit } from "../routes/console/account-audit.ts";
import { accountAuditCsv } from "../routes/console/account-audit-csv.ts";
import { accountClients } from "../routes/console/account-clients.ts";
import { accountCreateClient } from "../routes/console/account-create-client.ts";
import { accountCreateWebhook } from "../routes/console/account-create-webhook.ts";
import { accountDeleteWebhook } from "../routes/console/account-delete-webhook.ts";
import { accountDescribeKey } from "../routes/console/account-describe-key.ts";
import { accountDisableKey } from "../routes/console/account-disable-key.ts";
import { accountDownloadCa } from "../routes/console/account-download-ca.ts";
import { accountDownloadCertificate } from "../routes/console/account-download-certificate.ts";
import { accountEnableKey } from "../routes/console/account-enable-key.ts";
import { accountEnforceMtls } from "../routes/console/account-enforce-mtls.ts";
import { accountGenerateKey } from "../routes/console/account-generate-key.ts";
import { accountIssueCertificate } from "../routes/console/account-issue-certificate.ts";
import { accountKeys } from "../routes/console/account-keys.ts";
import { accountLiftMtls } from "../routes/console/account-lift-mtls.ts";
import { accountRedeliverWebhook } from "../routes/console/account-redeliver-webhook.ts";
import { accountRemoveOrigin } from "../routes/console/account-remove-origin.ts";
import { accountRevokeCertificate } from "../routes/console/account-revoke-certificate.ts";
import { accountRotateKey } from "../routes/console/account-rotate-key.ts";
import { accountRotateWebhookSecret } from "../routes/console/account-rotate-webhook-secret.ts";
import { accountSecurity } from "../routes/console/account-security.ts";
import { accountSetIpRestriction } from "../routes/console/account-set-ip-restriction.ts";
import { accountTestWebhook } from "../routes/console/account-test-webhook.ts";
import { accountWebhookDeliveries } from "../routes/console/account-webhook-deliveries.ts";
import { accountWebhooks } from "../routes/console/account-webhooks.ts";
import type { App, AppServices } from "../types.ts";

/** The account pages' endpoints, page by page: each calls the service its API route calls. */
const ROUTES: readonly ((app: App, services: AppServices) => void)[] = [
  accountKeys,
  accountGenerateKey,
  accountDisableKey,
  accountEnableKey,
  accountRotateKey,
  accountDescribeKey,
  accountClients,
  accountCreateClient,
  accountAddOrigin,
  accountRemoveOrigin,
  accountSecurity,
  accountIssueCertificate,
  accountDownloadCertificate,
  accountDownloadCa,
  accountRevokeCertificate,
  accountEnforceMtls,
  accountLiftMtls,
  accountSetIpRestriction,
  accountAudit,
  accountAuditCsv,
  accountWebhooks,
  accountCreateWebhook,
  accountDeleteWebhook,
  accountRotateWebhookSecret,
  accountTestWebhook,
  accountWebhookDeliveries,
  accountRedeliverWebhook,
];

/**
 * The console's pages of one account: API keys, Client IDs and origins, security, audit log and
 * webhooks. Registered inside the console's session scope (`consoleRoutes`).
 */
export function consoleAccountPages(app: App, services: AppServices): void {
  for (const route of ROUTES) route(app, services);
}
