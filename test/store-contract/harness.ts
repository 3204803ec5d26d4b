import { afterEach, beforeEach } from "vitest";
import type {
  Account,
  AuditEvent,
  ClientCertificate,
  Credential,
  SecretHash,
} from "../../src/domain/types.ts";
import type { OnboardingLink, Store } from "../../src/store/port.ts";
import { makeAudit } from "./fixtures.ts";

/** What every area's cases get: the running case's store, and helpers that write through it. */
export interface ContractContext {
  /** The running case's store: fresh and empty, closed after the case. Use it inside cases only. */
  readonly store: Store;
  /** Opens one more fresh store, which the case closes itself. */
  open(): Promise<Store>;
  addAccount(account: Account, link?: OnboardingLink | null): Promise<Account>;
  addCredential(credential: Credential, secret?: SecretHash | null): Promise<Credential>;
  addCertificate(certificate: ClientCertificate): Promise<ClientCertificate>;
  /** Every audit event of the account, newest first. */
  auditOf(owner: string): Promise<AuditEvent[]>;
  /** The two events a claim writes: the link claimed and the initial credential created. */
  claimAudit(owner: string, credential: Credential, now: Date): AuditEvent[];
  statusAudit(credential: Credential, action: string, occurredAt: Date): AuditEvent;
}

/** One area of the contract: a file of cases about one part of the port. */
export interface ContractArea<Name extends string = string> {
  name: Name;
  /** The describe block the cases run in. */
  title: string;
  register(ctx: ContractContext): void;
}

export function contractArea<const Name extends string>(
  name: Name,
  title: string,
  register: (ctx: ContractContext) => void,
): ContractArea<Name> {
  return { name, title, register };
}

/** Which port methods the cases of each area called: the proof that a listed method is exercised. */
export class MethodRecorder {
  readonly #calls = new Map<string, Set<string>>();
  #area = "";

  enter(area: string): void {
    this.#area = area;
  }

  record(method: string): void {
    const calls = this.#calls.get(this.#area) ?? new Set<string>();
    calls.add(method);
    this.#calls.set(this.#area, calls);
  }

  calledIn(area: string): ReadonlySet<string> {
    return this.#calls.get(area) ?? new Set();
  }

  get areas(): number {
    return this.#calls.size;
  }
}

/**
 * Registers, in the current describe block, a fresh store per case (closed after it), and returns
 * the context the areas use. Every call through `ctx.store` is recorded under the running area.
 */
export function contractContext(open: () => Promise<Store>, recorder: MethodRecorder): ContractContext {
  let current: Store | undefined;

  beforeEach(async () => {
    current = undefined;
    current = await open();
  });

  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  const recorded = (target: () => Store | undefined): Store =>
    new Proxy({} as Store, {
      get(_, property) {
        const store = target();
        if (!store) throw new Error("No store is open: use ctx.store inside a case");
        const value: unknown = Reflect.get(store, property);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          recorder.record(String(property));
          return value.apply(store, args);
        };
      },
    });

  const store = recorded(() => current);

  async function addAccount(account: Account, link: OnboardingLink | null = null): Promise<Account> {
    await store.createAccount({
      account,
      link,
      audit: [makeAudit(account.accountId, { action: "account.created", occurredAt: account.createdAt })],
    });
    return account;
  }

  async function addCredential(
    credential: Credential,
    secret: SecretHash | null = null,
  ): Promise<Credential> {
    await store.insertCredential({
      credential,
      secret,
      audit: makeAudit(credential.accountId, {
        action: "credential.created",
        targetType: "CREDENTIAL",
        targetId: credential.credentialId,
        statusAfter: credential.status,
        occurredAt: credential.createdAt,
      }),
    });
    return credential;
  }

  async function addCertificate(certificate: ClientCertificate): Promise<ClientCertificate> {
    await store.insertClientCertificate({
      certificate,
      audit: makeAudit(certificate.accountId, {
        action: "client_certificate.created",
        targetType: "CLIENT_CERTIFICATE",
        targetId: certificate.certificateId,
      }),
    });
    return certificate;
  }

  return {
    store,
    async open() {
      const opened = await open();
      return recorded(() => opened);
    },
    addAccount,
    addCredential,
    addCertificate,
    auditOf(owner) {
      return store.listAuditEvents({ accountId: owner, after: null, limit: 1000 });
    },
    claimAudit(owner, credential, now) {
      return [
        makeAudit(owner, {
          action: "onboarding_link.claimed",
          targetType: "ONBOARDING_LINK",
          targetId: credential.credentialId,
          statusAfter: "ACTIVE",
          occurredAt: now,
        }),
        makeAudit(owner, {
          action: "credential.created",
          targetType: "CREDENTIAL",
          targetId: credential.credentialId,
          statusAfter: "ACTIVE",
          occurredAt: now,
        }),
      ];
    },
    statusAudit(credential, action, occurredAt) {
      return makeAudit(credential.accountId, {
        action,
        targetType: "CREDENTIAL",
        targetId: credential.credentialId,
        occurredAt,
      });
    },
  };
}
