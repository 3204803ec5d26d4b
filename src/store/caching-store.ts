import type { Clock } from "../domain/runtime.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";
import type { CredentialForAuth, Store } from "./port.ts";
import { type CacheCounters, type CachingOptions, VerificationCache } from "./verification-cache.ts";

/**
 * The store with the verification cache in front of the two reads of every authentication
 * (credential by lookup id, and its account), and every change made through it published on the
 * bus, so every instance drops what it cached (see VerificationCache). Without a `cache`, one of
 * its own is made from the options.
 */
export function cachingStore(
  inner: Store,
  options:
    | { cache: VerificationCache; bus: InvalidationBus }
    | (CachingOptions & { bus: InvalidationBus; clock: Clock; counters: CacheCounters }),
): Store {
  const { bus } = options;
  const cache = "cache" in options ? options.cache : new VerificationCache(options);

  const credentialChanged = (credential: { lookupId: string; accountId: string } | null | undefined) => {
    if (credential) bus.publish({ kind: "credential", lookupId: credential.lookupId });
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
