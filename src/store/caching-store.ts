import type { Clock } from "../domain/runtime.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";
import type { ListingCache } from "./listing-cache.ts";
import type { CredentialForAuth, Store } from "./port.ts";
import { type CacheCounters, type CachingOptions, VerificationCache } from "./verification-cache.ts";

/**
 * The store with the verification cache in front of the two reads of every authentication
 * (credential by lookup id, and its account), with `listings` (when given) in front of credential
 * lists, and every change made through it published on the bus, so every instance drops what it
 * cached (see VerificationCache, ListingCache). Without a `cache`, one of its own is made from the
 * options.
 */
export function cachingStore(
  inner: Store,
  options:
    | { cache: VerificationCache; listings?: ListingCache; bus: InvalidationBus }
    | (CachingOptions & { bus: InvalidationBus; clock: Clock; counters: CacheCounters }),
): Store {
  const { bus } = options;
  const cache = "cache" in options ? options.cache : new VerificationCache(options);
  const listings = "listings" in options ? options.listings : undefined;

  const credentialChanged = (credential: { lookupId: string; accountId: string } | null | undefined) => {
    if (credential) {
      bus.publish({ kind: "credential", lookupId: credential.lookupId, accountId: credential.accountId });
    }
  };
  /** A change only credential lists show, announced whatever its outcome. */
  const listsAnnounced = async <T>(accountIds: readonly string[], change: () => Promise<T>) => {
    try {
      return await change();
    } finally {
      const ids = [...new Set(accountIds)];
      if (ids.length > 0) bus.publish({ kind: "credential-lists", accountIds: ids });
    }
  };
  const accountChanged = (accountId: string) => bus.publish({ kind: "account", accountId });
  /** A change to an account's settings, announced once it is written. */
  const accountWritten = async <T>(accountId: string, change: () => Promise<T>): Promise<T> => {
    const result = await change();
    accountChanged(accountId);
    return result;
  };
  /** A change that refuses or restores every key of the account: announced whatever its outcome. */
  const accountAnnounced = async <T>(accountId: string, change: () => Promise<T>): Promise<T> => {
    try {
      return await change();
    } finally {
      accountChanged(accountId);
    }
  };
  /**
   * A status change is announced whatever its outcome: a retry that finds the change already made,
   * or a commit whose reply was lost, must still make every instance drop what it cached.
   */
  const announced = async <T extends { lookupId: string; accountId: string } | null>(
    accountId: string,
    change: () => Promise<T>,
  ): Promise<T> => {
    let result: T | null = null;
    try {
      result = await change();
      return result;
    } finally {
      if (result) credentialChanged(result);
      else accountChanged(accountId);
    }
  };

  const overrides: Partial<Store> = {
    findCredentialByLookupId(lookupId): Promise<CredentialForAuth | null> {
      return cache.credential(lookupId, () => inner.findCredentialByLookupId(lookupId));
    },
    findAccount(accountId) {
      return cache.account(accountId, () => inner.findAccount(accountId));
    },
    async viewCredential(accountId, credentialId) {
      if (!listings) return inner.viewCredential(accountId, credentialId);
      return listings.credential(accountId, credentialId, () =>
        inner.viewCredential(accountId, credentialId),
      );
    },
    viewCredentials(query) {
      if (!listings) return inner.viewCredentials(query);
      return listings.page(query, () => inner.viewCredentials(query));
    },
    insertCredential(input) {
      return listsAnnounced([input.credential.accountId], () => inner.insertCredential(input));
    },
    claimOnboardingLink(input) {
      return listsAnnounced([input.initial.credential.accountId], () => inner.claimOnboardingLink(input));
    },
    updateCredentialDescription(input) {
      return listsAnnounced([input.accountId], () => inner.updateCredentialDescription(input));
    },
    recordCredentialUses(uses) {
      return listsAnnounced(
        uses.map((use) => use.accountId),
        () => inner.recordCredentialUses(uses),
      );
    },
    async disableActiveCredential(input) {
      return announced(input.accountId, () => inner.disableActiveCredential(input));
    },
    async enableDisabledCredential(input) {
      return announced(input.accountId, () => inner.enableDisabledCredential(input));
    },
    async recordCredentialLeak(report) {
      let outcome: Awaited<ReturnType<Store["recordCredentialLeak"]>> | null = null;
      try {
        outcome = await inner.recordCredentialLeak(report);
        return outcome;
      } finally {
        // As every disable: announced whatever the outcome, so no instance keeps the key cached.
        if (outcome === null) {
          if (report.disable) accountChanged(report.accountId);
        } else if (outcome.outcome === "RECORDED") credentialChanged(outcome.disabled);
      }
    },
    async rotateCredential(rotation) {
      return announced(rotation.accountId, () => inner.rotateCredential(rotation));
    },
    async applyLifecycleRule(input) {
      const changed = await inner.applyLifecycleRule(input);
      for (const credential of changed) credentialChanged(credential);
      return changed;
    },
    updateIpRestriction(input) {
      return accountWritten(input.accountId, () => inner.updateIpRestriction(input));
    },
    setMtlsEnforcement(input) {
      return accountWritten(input.accountId, () => inner.setMtlsEnforcement(input));
    },
    changeRateLimits(input) {
      return accountWritten(input.accountId, () => inner.changeRateLimits(input));
    },
    insertClientCertificate(input) {
      return accountWritten(input.certificate.accountId, () => inner.insertClientCertificate(input));
    },
    revokeClientCertificate(input) {
      return accountWritten(input.accountId, () => inner.revokeClientCertificate(input));
    },
    suspendAccount(input) {
      return accountAnnounced(input.accountId, () => inner.suspendAccount(input));
    },
    resumeAccount(input) {
      return accountAnnounced(input.accountId, () => inner.resumeAccount(input));
    },
  };

  return new Proxy(inner, {
    get(target, property, receiver) {
      const override = overrides[property as keyof Store];
      if (override) return override;
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
