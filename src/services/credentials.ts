import { assertCanDisable, assertCanEditDescription, assertCanEnable } from "../domain/credential-rules.ts";
import { notFound } from "../domain/errors.ts";
import {
  type Account,
  actorLabel,
  type Credential,
  type CredentialStatus,
  type CredentialType,
  type Environment,
  type StatusReason,
} from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import { type KeySettings, mintCredential } from "./credential-factory.ts";
import { fetchPage, type Paged } from "./paging.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

export interface CreatedCredential {
  credential: Credential;
  apiKey: string | null;
}

export interface CredentialFilters {
  type?: CredentialType;
  environment?: Environment;
  status?: CredentialStatus;
}

/** Partner-facing credential use cases, always scoped to one (already authorised) account. */
export class CredentialService {
  readonly #runtime: ServiceRuntime;
  readonly #keys: KeySettings;

  constructor(runtime: ServiceRuntime, keys: KeySettings) {
    this.#runtime = runtime;
    this.#keys = keys;
  }

  async create(
    account: Account,
    context: RequestContext,
    input: { type: CredentialType; environment: Environment; description: string },
  ): Promise<CreatedCredential> {
    const minted = mintCredential(this.#runtime, this.#keys, {
      accountId: account.accountId,
      ...input,
      createdBy: actorLabel(context.actor),
    });
    const audit = auditEvent(this.#runtime, context, {
      accountId: account.accountId,
      action: "credential.created",
      targetType: "CREDENTIAL",
      targetId: minted.credential.credentialId,
      statusAfter: "ACTIVE",
    });
    await this.#runtime.store.insertCredential({
      credential: minted.credential,
      secret: minted.secret,
      audit,
    });
    return { credential: minted.credential, apiKey: minted.apiKey };
  }

  list(
    account: Account,
    filters: CredentialFilters,
    page: { pageSize: number; pageToken?: string },
  ): Promise<Paged<Credential>> {
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.listCredentials({ accountId: account.accountId, ...filters, ...p }),
      (c) => ({ at: c.createdAt, id: c.credentialId }),
    );
  }

  async get(account: Account, credentialId: string): Promise<Credential> {
    const credential = await this.#runtime.store.findCredential(account.accountId, credentialId);
    if (!credential) throw notFound("Credential");
    return credential;
  }

  async updateDescription(
    account: Account,
    context: RequestContext,
    credentialId: string,
    description: string,
  ): Promise<Credential> {
    const current = await this.get(account, credentialId);
    assertCanEditDescription(current);
    const updated = await this.#runtime.store.updateCredentialDescription({
      accountId: account.accountId,
      credentialId,
      description,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "credential.description_changed",
        targetType: "CREDENTIAL",
        targetId: credentialId,
        statusBefore: current.status,
        statusAfter: current.status,
      }),
    });
    return updated ?? this.get(account, credentialId);
  }

  /** Disabling an already disabled credential changes nothing and is not an error. */
  async disable(
    account: Account,
    context: RequestContext,
    credentialId: string,
    reason: StatusReason,
  ): Promise<Credential> {
    const current = await this.get(account, credentialId);
    assertCanDisable(current);
    const changed = await this.#runtime.store.disableActiveCredential({
      accountId: account.accountId,
      credentialId,
      reason,
      at: this.#runtime.clock.now(),
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "credential.disabled",
        targetType: "CREDENTIAL",
        targetId: credentialId,
        statusBefore: "ACTIVE",
        statusAfter: "DISABLED",
      }),
    });
    return changed ?? this.get(account, credentialId);
  }

  /** Enabling an active credential changes nothing; a deleted one can never come back. */
  async enable(account: Account, context: RequestContext, credentialId: string): Promise<Credential> {
    const current = await this.get(account, credentialId);
    assertCanEnable(current);
    const changed = await this.#runtime.store.enableDisabledCredential({
      accountId: account.accountId,
      credentialId,
      at: this.#runtime.clock.now(),
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "credential.enabled",
        targetType: "CREDENTIAL",
        targetId: credentialId,
        statusBefore: "DISABLED",
        statusAfter: "ACTIVE",
      }),
    });
    return changed ?? this.get(account, credentialId);
  }
}
