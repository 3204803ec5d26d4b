import { createHash } from "node:crypto";
import { notFound } from "../domain/errors.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import { type UnusableLinkState, unusableLinkError } from "../domain/onboarding-link.ts";
import type { Account, Credential } from "../domain/types.ts";
import type { OnboardingLink } from "../store/port.ts";
import { auditEvent } from "./audit.ts";
import { type KeySettings, mintCredential } from "./credential-factory.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedLink {
  link: OnboardingLink;
  url: string;
  expiresAt: Date;
}

export type LinkState =
  | { state: "VALID"; account: Account; linkId: string; expiresAt: Date }
  | { state: UnusableLinkState };

export interface ClaimedKey {
  account: Account;
  credential: Credential;
  apiKey: string;
}

export interface OnboardingSettings extends KeySettings {
  publicUrl: string;
  linkTtlMs: number;
}

/** Only the SHA-256 of a link token is stored; the token itself lives only in the URL. */
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** One-time secure links through which an account picks up its initial API key. */
export class OnboardingService {
  readonly #runtime: ServiceRuntime;
  readonly #settings: OnboardingSettings;

  constructor(runtime: ServiceRuntime, settings: OnboardingSettings) {
    this.#runtime = runtime;
    this.#settings = settings;
  }

  /** A new link, not yet stored: the caller stores it with the change it belongs to. */
  newLink(accountId: string): IssuedLink {
    const token = Buffer.from(this.#runtime.random.bytes(32)).toString("base64url");
    const createdAt = this.#runtime.clock.now();
    const expiresAt = new Date(createdAt.getTime() + this.#settings.linkTtlMs);
    return {
      link: {
        linkId: newUuidV7(this.#runtime.clock, this.#runtime.random),
        accountId,
        tokenHash: hashToken(token),
        createdAt,
        expiresAt,
        claimedAt: null,
        revokedAt: null,
      },
      url: `${this.#settings.publicUrl.replace(/\/+$/, "")}/onboarding/${token}`,
      expiresAt,
    };
  }

  /** Re-issues the link of an account, invalidating any earlier unclaimed one. */
  async reissue(accountId: string, context: RequestContext): Promise<IssuedLink> {
    const account = await this.#runtime.store.findAccount(accountId);
    if (!account) throw notFound("Account");
    const issued = this.newLink(accountId);
    await this.#runtime.store.replaceOnboardingLink({
      link: issued.link,
      audit: auditEvent(this.#runtime, context, {
        accountId,
        action: "onboarding_link.issued",
        targetType: "ONBOARDING_LINK",
        targetId: issued.link.linkId,
      }),
    });
    return issued;
  }

  /** Looks at a link without consuming it (what a GET, a preview or a crawler gets). */
  async inspect(token: string): Promise<LinkState> {
    if (!TOKEN_PATTERN.test(token)) return { state: "NOT_FOUND" };
    const link = await this.#runtime.store.findOnboardingLink(hashToken(token));
    if (!link) return { state: "NOT_FOUND" };
    if (link.claimedAt) return { state: "ALREADY_USED" };
    if (link.revokedAt) return { state: "SUPERSEDED" };
    if (link.expiresAt.getTime() <= this.#runtime.clock.now().getTime()) return { state: "EXPIRED" };
    const account = await this.#runtime.store.findAccount(link.accountId);
    if (!account) return { state: "NOT_FOUND" };
    return { state: "VALID", account, linkId: link.linkId, expiresAt: link.expiresAt };
  }

  /**
   * Consumes the link and generates the initial API key at this moment; only the first claim wins.
   * The claim is recorded as done by the new key's holder, from the claiming address.
   */
  async claim(token: string, sourceIp: string | null): Promise<ClaimedKey> {
    const inspected = await this.inspect(token);
    if (inspected.state !== "VALID") throw unusableLinkError(inspected.state);
    const { account } = inspected;
    const minted = mintCredential(this.#runtime, this.#settings, {
      accountId: account.accountId,
      type: "API",
      environment: account.environment,
      description: "Initial API key",
      createdBy: "operator",
    });
    const facts = { accountId: account.accountId, statusAfter: "ACTIVE" } as const;
    const context: RequestContext = {
      actor: { kind: "credential", credentialId: minted.credential.credentialId },
      sourceIp,
    };
    const result = await this.#runtime.store.claimOnboardingLink({
      tokenHash: hashToken(token),
      now: this.#runtime.clock.now(),
      initial: minted,
      audit: [
        auditEvent(this.#runtime, context, {
          ...facts,
          action: "onboarding_link.claimed",
          targetType: "ONBOARDING_LINK",
          targetId: inspected.linkId,
        }),
        auditEvent(this.#runtime, context, {
          ...facts,
          action: "credential.created",
          targetType: "CREDENTIAL",
          targetId: minted.credential.credentialId,
        }),
      ],
    });
    if (result.outcome !== "CLAIMED") throw unusableLinkError(result.outcome);
    if (minted.apiKey === null) throw new Error("initial credential must be an API key");
    return { account, credential: minted.credential, apiKey: minted.apiKey };
  }
}
