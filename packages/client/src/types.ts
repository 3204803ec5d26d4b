import type { components, operations } from "./openapi.ts";

/** The wire types, generated from the service's OpenAPI document (`npm run openapi`). */
type Schemas = components["schemas"];
type Json<O extends keyof operations, S extends number = 200> =
  operations[O]["responses"] extends Record<S, { content: { "application/json": infer B } }> ? B : never;
type Body<O extends keyof operations> = operations[O] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export type Credential = Schemas["Credential"];
export type CreatedCredential = Schemas["CreatedCredential"];
export type Account = Schemas["Account"];
export type ClientCertificate = Schemas["ClientCertificate"];
export type IpRestriction = Schemas["IpRestriction"];
export type MtlsEnforcement = Schemas["MtlsEnforcement"];
export type AllowedOrigin = Schemas["AllowedOrigin"];
export type WebhookEndpoint = Schemas["WebhookEndpoint"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookEventType = WebhookEndpoint["events"][number];
export type ErrorBody = Schemas["ErrorBody"];
export type Environment = Credential["environment"];
export type CredentialType = Credential["type"];
export type CredentialStatus = Credential["status"];
export type AuditEvent = Json<"listAuditEvents">["audit_events"][number];
export type CredentialPage = Json<"listCredentials">;
export type AuditEventPage = Json<"listAuditEvents">;
export type PartnerAccountPage = Json<"listPartnerAccounts">;
export type ClientCertificatePage = Json<"listClientCertificates">;
export type WebhookDeliveryPage = Json<"listWebhookDeliveries">;
export type ClientSession = Json<"createClientSession">;
export type VerifiedClientSession = Json<"verifyClientSession">;

export type NewCredential = Body<"createCredential">;
export type NewPartnerAccount = Body<"createPartnerAccount">;
export type RotationOptions = Body<"rotateCredential">;
export type IpRestrictionChange = Body<"putIpRestriction">;
export type NewWebhookEndpoint = Body<"createWebhookEndpoint">;

export interface PageOptions {
  page_size?: number;
  page_token?: string;
}
export interface CredentialFilters {
  type?: CredentialType;
  environment?: Environment;
  status?: CredentialStatus;
}
