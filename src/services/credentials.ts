import {
  assertCanEnable,
  assertChangeable,
  assertDescriptionHoldsNoKey,
} from "../domain/credential-rules.ts";
import { assertMayCreateIn, isVisible } from "../domain/environment-rules.ts";
import { AppError, notFound } from "../domain/errors.ts";
import { assertCanRotate } from "../domain/lifecycle-policy.ts";
import { assertMayGrant, parsePermissions } from "../domain/permissions.ts";
import {
  type Account,
  actorLabel,
  type Credential,
  type CredentialStatus,
  type CredentialType,
  type Environment,
  type RotationEnd,
  type StatusReason,
} from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import { type KeySettings, mintCredential } from "./credential-factory.ts";
import { fetchPage, type Paged } from "./paging.ts";
import { idempotencyMark, type RequestContext, type ServiceRuntime } from "./runtime.ts";

export interface CreatedCredential {
  credential: Credential;
  apiKey: string | null;
}

export interface CredentialFilters {
  type?: CredentialType;
  environment?: Environment;
  status?: CredentialStatus;
}

export interface CredentialLimits {
  /** ACTIVE Client IDs an account may hold per environment (rotation's overlap excepted). */
  clientIdsPerAccount: number;
}

/** The credential as the caller may see it: one of an environment it may not see, or of another type, is not found. */
function shown(
  credential: Credential | null,
  visible: readonly Environment[] | undefined,
  type: CredentialType | undefined,
): Credential {
  if (!credential || !isVisible(credential.environment, visible) || (type && credential.type !== type)) {
    throw notFound("Credential");
  }
  return credential;
}

/** Partner-facing credential use cases, always scoped to one (already authorised) account. */
export class CredentialService {
  readonly #runtime: ServiceRuntime;
  readonly #keys: KeySettings;
  readonly #limits: CredentialLimits;

  constructor(runtime: ServiceRuntime, keys: KeySettings, limits: CredentialLimits) {
    this.#runtime = runtime;
    this.#keys = keys;
    this.#limits = limits;
  }

  async create(
    account: Account,
    context: RequestContext,
    input: {
      type: CredentialType;
      environment: Environment;
      description: string;
      permissions?: readonly string[];
    },
  ): Promise<CreatedCredential> {
    assertDescriptionHoldsNoKey(input.description);
    assertMayCreateIn(account, input.environment, context.environments, "credentials");
    const permissions =
      input.permissions === undefined
        ? null
        : parsePermissions(input.permissions, this.#keys.categoryExists ?? (() => false));
    assertMayGrant(context.permissions ?? null, permissions);
    const minted = mintCredential(this.#runtime, this.#keys, {
      accountId: account.accountId,
      type: input.type,
      environment: input.environment,
      description: input.description,
      createdBy: actorLabel(context.actor),
      permissions,
    });
    const audit = auditEvent(this.#runtime, context, {
      accountId: account.accountId,
      action: "credential.created",
      targetType: "CREDENTIAL",
      targetId: minted.credential.credentialId,
      statusAfter: "ACTIVE",
    });
    const inserted = await this.#runtime.store.insertCredential({
      credential: minted.credential,
      secret: minted.secret,
      audit,
      idempotency: idempotencyMark(context, minted.credential.credentialId),
      ...(input.type === "CLIENT" ? { activeAtMost: this.#limits.clientIdsPerAccount } : {}),
    });
    if (!inserted) throw this.#clientIdLimit(input.environment);
    return { credential: minted.credential, apiKey: minted.apiKey };
  }

  list(
    account: Account,
    filters: CredentialFilters,
    page: { pageSize: number; pageToken?: string },
    visible?: readonly Environment[],
  ): Promise<Paged<Credential>> {
    if (filters.environment !== undefined && !isVisible(filters.environment, visible)) {
      return Promise.resolve({ items: [], nextPageToken: null });
    }
    if (visible?.length === 1) filters = { ...filters, environment: visible[0] };
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.viewCredentials({ accountId: account.accountId, ...filters, ...p }),
      (c) => ({ at: c.createdAt, id: c.credentialId }),
    );
  }

  /**
   * One credential; one of an environment the actor may not see (or, when asked for a type, of
   * another type) does not exist for it.
   */
  async get(
    account: Account,
    credentialId: string,
    visible?: readonly Environment[],
    type?: CredentialType,
  ): Promise<Credential> {
    return shown(await this.#runtime.store.findCredential(account.accountId, credentialId), visible, type);
  }

  /**
   * `get` for showing the credential (never before changing it): it may come from the store's
   * caches, as fresh as a credential list.
   */
  async view(
    account: Account,
    credentialId: string,
    visible?: readonly Environment[],
    type?: CredentialType,
  ): Promise<Credential> {
    return shown(await this.#runtime.store.viewCredential(account.accountId, credentialId), visible, type);
  }

  async updateDescription(
    account: Account,
    context: RequestContext,
    credentialId: string,
    description: string,
  ): Promise<Credential> {
    assertDescriptionHoldsNoKey(description);
    const current = await this.get(account, credentialId, context.environments);
    assertChangeable(current);
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
    return updated ?? this.#afterLostRace(account, credentialId);
  }

  /** Disabling an already disabled credential changes nothing and is not an error. */
  async disable(
    account: Account,
    context: RequestContext,
    credentialId: string,
    reason: StatusReason,
  ): Promise<Credential> {
    const current = await this.get(account, credentialId, context.environments);
    assertChangeable(current);
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
        reason,
      }),
    });
    return changed ?? this.#afterLostRace(account, credentialId);
  }

  /**
   * Creates a successor of the same type, environment and description, and schedules the old
   * credential's end after the overlap (at once for a zero overlap).
   */
  async rotate(
    account: Account,
    context: RequestContext,
    credentialId: string,
    options: { overlapMs: number; end: RotationEnd },
  ): Promise<{ predecessor: Credential; successor: CreatedCredential }> {
    const current = await this.get(account, credentialId, context.environments);
    assertCanRotate(current);
    // The successor gets the old key's permissions: the rotating key must hold them all.
    assertMayGrant(context.permissions ?? null, current.permissions);
    const at = this.#runtime.clock.now();
    const minted = mintCredential(this.#runtime, this.#keys, {
      accountId: account.accountId,
      type: current.type,
      environment: current.environment,
      description: current.description,
      createdBy: actorLabel(context.actor),
      rotatedFrom: credentialId,
      permissions: current.permissions,
    });
    const disableNow = options.overlapMs === 0;
    const facts = { accountId: account.accountId, targetType: "CREDENTIAL" } as const;
    const predecessor = await this.#runtime.store.rotateCredential({
      accountId: account.accountId,
      credentialId,
      successor: minted,
      expiresAt: new Date(at.getTime() + options.overlapMs),
      rotationEnd: options.end,
      disableNow,
      at,
      idempotency: idempotencyMark(context, minted.credential.credentialId),
      audit: [
        auditEvent(this.#runtime, context, {
          ...facts,
          action: "credential.rotated",
          targetId: credentialId,
          statusBefore: "ACTIVE",
          statusAfter: disableNow ? "DISABLED" : "ACTIVE",
          reason: "ROTATED",
        }),
        auditEvent(this.#runtime, context, {
          ...facts,
          action: "credential.created",
          targetId: minted.credential.credentialId,
          statusAfter: "ACTIVE",
        }),
      ],
    });
    if (!predecessor) {
      assertCanRotate(await this.get(account, credentialId, context.environments));
      throw new AppError("INVALID_STATE", "The credential changed while it was being rotated; try again");
    }
    return { predecessor, successor: { credential: minted.credential, apiKey: minted.apiKey } };
  }

  /** Enabling an active credential changes nothing; a deleted one can never come back. */
  async enable(account: Account, context: RequestContext, credentialId: string): Promise<Credential> {
    const current = await this.get(account, credentialId, context.environments);
    assertCanEnable(current, context.actor);
    if (current.type === "CLIENT" && current.status !== "ACTIVE") {
      const active = await this.#runtime.store.listCredentials({
        accountId: account.accountId,
        type: "CLIENT",
        environment: current.environment,
        status: "ACTIVE",
        after: null,
        limit: this.#limits.clientIdsPerAccount,
      });
      if (active.length >= this.#limits.clientIdsPerAccount) throw this.#clientIdLimit(current.environment);
    }
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
    return changed ?? this.#afterLostRace(account, credentialId);
  }

  #clientIdLimit(environment: Environment): AppError {
    const most = this.#limits.clientIdsPerAccount;
    return new AppError(
      "RESOURCE_CONFLICT",
      most === 1
        ? `Only one ${environment} Client ID can be active per account: disable the current one first, or rotate it`
        : `An account can hold at most ${most} active ${environment} Client IDs: disable one first, or rotate it`,
    );
  }

  /** Operator view: every credential of the account, DELETED ones still stored included. */
  listAllForOperator(
    account: Account,
    filters: { status?: CredentialStatus },
    page: { pageSize: number; pageToken?: string },
  ): Promise<Paged<Credential>> {
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) =>
        this.#runtime.store.viewCredentials({
          accountId: account.accountId,
          ...filters,
          includeDeleted: true,
          ...p,
        }),
      (c) => ({ at: c.createdAt, id: c.credentialId }),
    );
  }

  /** How many credentials the account holds in each status. */
  countByStatus(account: Account): Promise<Record<CredentialStatus, number>> {
    return this.#runtime.store.countCredentialsByStatus(account.accountId);
  }

  /** A guarded update found the credential changed meanwhile: answer with its state now. */
  async #afterLostRace(account: Account, credentialId: string): Promise<Credential> {
    const now = await this.get(account, credentialId);
    assertChangeable(now);
    return now;
  }
}
