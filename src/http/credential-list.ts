import type { FastifyReply, FastifyRequest } from "fastify";
import type { CredentialStatus, CredentialType, Environment } from "../domain/types.ts";
import type { CredentialFilters } from "../services/credentials.ts";
import { sendJsonText } from "./json-text.ts";
import { pageRequest } from "./paging.ts";
import { credentialPageJson } from "./presenters.ts";
import { contextOf, targetAccount } from "./routes/partner/scopes.ts";
import type { AppServices } from "./types.ts";

/** The query of a credential list: the partner's (v1, v2) or the operator's. */
export interface CredentialListQuery {
  type?: CredentialType;
  environment?: Environment;
  status?: CredentialStatus;
  page_size?: number;
  page_token?: string;
}

/** Reads a credential list's query into the filters and the page the service takes. */
export function credentialListRequest(query: CredentialListQuery): {
  filters: CredentialFilters;
  page: { pageSize: number; pageToken: string | undefined };
} {
  const { type, environment, status } = query;
  return { filters: { type, environment, status }, page: pageRequest(query) };
}

/**
 * A partner's credential list (v1, and v2 with the type from its path): one page of the request's
 * account, of the environments the caller's key may see, sent as the JSON text of
 * `CredentialPageSchema` (see credentialPageJson).
 */
export async function listPartnerCredentials(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  query: CredentialListQuery,
): Promise<FastifyReply> {
  const { filters, page } = credentialListRequest(query);
  const listed = await services.credentials.list(
    targetAccount(request),
    filters,
    page,
    contextOf(request).environments,
  );
  return sendJsonText(reply, credentialPageJson(listed));
}
