import { withTypes } from "../fastify.ts";
import { registerIdempotency } from "../plugins/idempotency.ts";
import { partnerOf, registerPartnerAuth } from "../plugins/partner-auth.ts";
import { registerTlsRequirement } from "../plugins/require-tls.ts";
import { createAllowedOrigin } from "../routes/partner/create-allowed-origin.ts";
import { createClientCertificate } from "../routes/partner/create-client-certificate.ts";
import { createCredential } from "../routes/partner/create-credential.ts";
import { createPartnerAccount } from "../routes/partner/create-partner-account.ts";
import { createWebhookEndpoint } from "../routes/partner/create-webhook-endpoint.ts";
import { deleteAllowedOrigin } from "../routes/partner/delete-allowed-origin.ts";
import { deleteMtlsEnforcement } from "../routes/partner/delete-mtls-enforcement.ts";
import { deleteWebhookEndpoint } from "../routes/partner/delete-webhook-endpoint.ts";
import { disableCredential } from "../routes/partner/disable-credential.ts";
import { enableCredential } from "../routes/partner/enable-credential.ts";
import { getAccount } from "../routes/partner/get-account.ts";
import { getClientCertificate } from "../routes/partner/get-client-certificate.ts";
import { getClientCertificateCa } from "../routes/partner/get-client-certificate-ca.ts";
import { getCredential } from "../routes/partner/get-credential.ts";
import { getIpRestriction } from "../routes/partner/get-ip-restriction.ts";
import { getMtlsEnforcement } from "../routes/partner/get-mtls-enforcement.ts";
import { listAllowedOrigins } from "../routes/partner/list-allowed-origins.ts";
import { listAuditEvents } from "../routes/partner/list-audit-events.ts";
import { listClientCertificates } from "../routes/partner/list-client-certificates.ts";
import { listCredentials } from "../routes/partner/list-credentials.ts";
import { listPartnerAccounts } from "../routes/partner/list-partner-accounts.ts";
import { listWebhookDeliveries } from "../routes/partner/list-webhook-deliveries.ts";
import { listWebhookEndpoints } from "../routes/partner/list-webhook-endpoints.ts";
import { putIpRestriction } from "../routes/partner/put-ip-restriction.ts";
import { putMtlsEnforcement } from "../routes/partner/put-mtls-enforcement.ts";
import { redeliverWebhookDelivery } from "../routes/partner/redeliver-webhook-delivery.ts";
import { revokeClientCertificate } from "../routes/partner/revoke-client-certificate.ts";
import { rotateCredential } from "../routes/partner/rotate-credential.ts";
import { rotateWebhookSecret } from "../routes/partner/rotate-webhook-secret.ts";
import { testWebhookEndpoint } from "../routes/partner/test-webhook-endpoint.ts";
import { updateCredential } from "../routes/partner/update-credential.ts";
import { createCredentialV2 } from "../routes/v2/create-credential.ts";
import { disableCredentialV2 } from "../routes/v2/disable-credential.ts";
import { getCredentialV2 } from "../routes/v2/get-credential.ts";
import { getIpRestrictionV2 } from "../routes/v2/get-ip-restriction.ts";
import { listCredentialsV2 } from "../routes/v2/list-credentials.ts";
import { patchIpRestrictionV2 } from "../routes/v2/patch-ip-restriction.ts";
import { type App, type AppOptions, type AppServices, headerPrefix } from "../types.ts";

/** The Partner Management API's operations, v1 then v2 (registered in this order, which the OpenAPI document keeps). */
const ROUTES: readonly ((scope: App, services: AppServices) => void)[] = [
  getAccount,
  createCredential,
  listCredentials,
  getCredential,
  updateCredential,
  disableCredential,
  enableCredential,
  rotateCredential,
  listAuditEvents,
  createClientCertificate,
  listClientCertificates,
  getClientCertificate,
  getClientCertificateCa,
  revokeClientCertificate,
  getMtlsEnforcement,
  putMtlsEnforcement,
  deleteMtlsEnforcement,
  getIpRestriction,
  putIpRestriction,
  createAllowedOrigin,
  listAllowedOrigins,
  deleteAllowedOrigin,
  createWebhookEndpoint,
  listWebhookEndpoints,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  testWebhookEndpoint,
  listWebhookDeliveries,
  redeliverWebhookDelivery,
  createPartnerAccount,
  listPartnerAccounts,
  createCredentialV2,
  listCredentialsV2,
  getCredentialV2,
  disableCredentialV2,
  getIpRestrictionV2,
  patchIpRestrictionV2,
];

/**
 * The Partner Management API (`/v1`, `/v2`): over TLS, authenticated by API key (the caller, or a
 * Partner Account it manages), changes replayed under an idempotency key.
 */
export async function partnerRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  const prefix = headerPrefix(options.brand);
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    registerPartnerAuth(scope, {
      authorizer: services.authorizer,
      transport: options.transport,
      headerPrefix: prefix,
    });
    registerIdempotency(scope, {
      service: services.idempotency,
      headerPrefix: prefix,
      // The caller and the account it acts on: the same key and body sent for another Partner
      // Account (through the Partner-Account header) is another request.
      scopeOf: (request) => {
        const { account, managed } = partnerOf(request);
        return managed ? `${account.accountId}>${managed.accountId}` : account.accountId;
      },
    });
    for (const route of ROUTES) route(scope, services);
  });
}
