import { AppError } from "../domain/errors.ts";
import {
  type LeakLabel,
  type LeakVerdict,
  type ReportedToken,
  reportedTokenHash,
  type SigningKeys,
  shapeOfReportedToken,
  signatureHolds,
  withoutToken,
} from "../domain/leak-report.ts";
import { type RateDecision, type RateLimit, rateLimited } from "../domain/rate-limit.ts";
import type { Credential } from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import type { Authenticator } from "./authenticator.ts";
import type { RateCounter } from "./rate-limiter.ts";
import type { ServiceRuntime } from "./runtime.ts";

/** Where GitHub's signing keys come from (`SECRET_SCANNING_KEYS_FILE`, re-read when it changes). */
export interface SigningKeySource {
  keys(): Promise<SigningKeys>;
}

export interface LeakReportSettings {
  brand: string;
  /** `LEAKED_KEY_ACTION`: disable a reported live key at once, or only record and announce it. */
  action: "disable" | "notify";
  /** Reports per GitHub key identifier, and per service token. */
  rateLimit: RateLimit;
}

/** Who sent a report: GitHub (named by its key identifier) or one of the provider's services. */
export type Reporter = { kind: "github"; keyIdentifier: string } | { kind: "service"; name: string };

const UNSIGNED =
  "Unsigned, or signed with an unknown key: send Github-Public-Key-Identifier and Github-Public-Key-Signature";

/**
 * Leaked-key reports (from GitHub's secret scanning, or the provider's own scanners). Each token
 * is judged as the authenticator judges a presented key: one of ours whose checksum holds and whose
 * secret matches an ACTIVE credential is disabled at once (reason LEAKED), or only announced under
 * `notify`, through the store's guarded disable, which announces it to every instance. A token is
 * acted on once, however often it is reported; only its SHA-256 is kept, with the report's url and
 * source in the `credential.leaked` audit event.
 */
export class LeakReportService {
  readonly #runtime: ServiceRuntime;
  readonly #authenticator: Authenticator;
  readonly #keys: SigningKeySource;
  readonly #counter: RateCounter;
  readonly #settings: LeakReportSettings;

  constructor(
    runtime: ServiceRuntime,
    parts: { authenticator: Authenticator; keys: SigningKeySource; counter: RateCounter },
    settings: LeakReportSettings,
  ) {
    this.#runtime = runtime;
    this.#authenticator = parts.authenticator;
    this.#keys = parts.keys;
    this.#counter = parts.counter;
    this.#settings = settings;
  }

  /**
   * Admits a report signed by GitHub, before its body is read: the identifier must name a key of
   * the file and the signature must sign these exact bytes (else 401), then the identifier's budget
   * must hold (else 429). Only signed reports count: the identifiers are public, and a stranger's
   * refused reports must not spend GitHub's budget. Returns the budget's state for the headers.
   */
  async admitSigned(input: {
    keyIdentifier: string | undefined;
    signature: string | undefined;
    body: Uint8Array;
  }): Promise<RateDecision> {
    const { keyIdentifier, signature } = input;
    if (!keyIdentifier || !signature) throw new AppError("UNAUTHORIZED", UNSIGNED);
    const key = (await this.#keys.keys()).get(keyIdentifier);
    if (!key) throw new AppError("UNAUTHORIZED", UNSIGNED);
    if (!signatureHolds(key, signature, input.body)) {
      throw new AppError("UNAUTHORIZED", "The Github-Public-Key-Signature does not sign this body");
    }
    return this.admit({ kind: "github", keyIdentifier });
  }

  /** Counts one report against its sender's budget; 429 when it is spent. */
  async admit(reporter: Reporter): Promise<RateDecision> {
    const name = reporter.kind === "github" ? `github:${reporter.keyIdentifier}` : `service:${reporter.name}`;
    const decision = await this.#counter.consume(`leak-reports:${name}`, this.#settings.rateLimit);
    if (!decision.allowed) throw rateLimited(decision, "leak reports");
    return decision;
  }

  /**
   * Judges every token and acts on those that are live keys; one verdict per token, in order. A
   * token listed twice is judged once.
   */
  async process(
    tokens: readonly ReportedToken[],
    context: { reporter: Reporter; sourceIp: string | null },
  ): Promise<LeakVerdict[]> {
    const labels = new Map<string, Promise<LeakLabel>>();
    const verdicts: LeakVerdict[] = [];
    for (const reported of tokens) {
      const tokenHash = reportedTokenHash(reported.token);
      let label = labels.get(tokenHash);
      if (!label) {
        label = this.#judge(reported, tokenHash, context);
        labels.set(tokenHash, label);
      }
      verdicts.push({ tokenHash, tokenType: reported.type, label: await label });
    }
    return verdicts;
  }

  async #judge(
    reported: ReportedToken,
    tokenHash: string,
    context: { reporter: Reporter; sourceIp: string | null },
  ): Promise<LeakLabel> {
    const shape = shapeOfReportedToken(this.#settings.brand, reported.token);
    if (shape.kind === "NOT_OURS") return "false_positive";
    if (shape.kind === "CLIENT_ID") {
      // Public by design (it sits in web pages): a real one is labelled, never disabled.
      const found = await this.#runtime.store.findCredentialByLookupId(shape.lookupId);
      const real =
        found !== null &&
        found.credential.clientId === reported.token &&
        found.credential.status !== "DELETED";
      return real ? "true_positive" : "false_positive";
    }
    const judged = await this.#authenticator.authenticate(reported.token);
    switch (judged.result) {
      case "VALID":
      case "SUSPENDED":
      case "EXPIRED":
        // Genuine and still ACTIVE (its account suspended, or its rotation overlap just ended).
        await this.#record(judged.credential, reported, tokenHash, context);
        return "true_positive";
      case "DISABLED":
      case "DELETED":
        // Genuine, and refused already: nothing more to do.
        return "true_positive";
      default:
        return "false_positive";
    }
  }

  async #record(
    credential: Credential,
    reported: ReportedToken,
    tokenHash: string,
    context: { reporter: Reporter; sourceIp: string | null },
  ): Promise<void> {
    const runtime = this.#runtime;
    const actor =
      context.reporter.kind === "github" ? "secret-scanning:github" : `service:${context.reporter.name}`;
    const request = { actor: { kind: "system" } as const, sourceIp: context.sourceIp };
    const facts = {
      accountId: credential.accountId,
      targetType: "CREDENTIAL",
      targetId: credential.credentialId,
    } as const;
    const disable = this.#settings.action === "disable";
    await runtime.store.recordCredentialLeak({
      tokenHash,
      accountId: credential.accountId,
      credentialId: credential.credentialId,
      at: runtime.clock.now(),
      disable,
      disabledAudit: {
        ...auditEvent(runtime, request, {
          ...facts,
          action: "credential.disabled",
          statusBefore: "ACTIVE",
          statusAfter: "DISABLED",
          reason: "LEAKED",
        }),
        actor,
      },
      leakedAudit: {
        ...auditEvent(runtime, request, { ...facts, action: "credential.leaked", reason: "LEAKED" }),
        actor,
        details: {
          // A report without them (older GitHub payloads) still acts: a missing fact is recorded as such.
          url: withoutToken(reported.url ?? "", reported.token),
          source: withoutToken(reported.source ?? "Unknown", reported.token),
          token_hash: tokenHash,
        },
      },
    });
  }
}
