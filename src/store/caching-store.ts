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
    async rotateCredential(rotation) {
      return announced(rotation.accountId, () => inner.rotateCredential(rotation));
    },
    async applyLifecycleRule(input) {
      const changed = await inner.applyLifecycleRule(input);
      for (const credential of changed) credentialChanged(credential);
      return changed;
    },
    async updateIpRestriction(input) {
      const account = await inner.updateIpRestriction(input);
      accountChanged(input.accountId);
      return account;
    },
    async setMtlsEnforcement(input) {
      const account = await inner.setMtlsEnforcement(input);
      accountChanged(input.accountId);
      return account;
    },
    async changeRateLimits(input) {
      const changed = await inner.changeRateLimits(input);
      accountChanged(input.accountId);
      return changed;
    },
    async insertClientCertificate(input) {
      await inner.insertClientCertificate(input);
      accountChanged(input.certificate.accountId);
    },
    async revokeClientCertificate(input) {
      const revoked = await inner.revokeClientCertificate(input);
      accountChanged(input.accountId);
      return revoked;
    },
    // A suspension refuses every key of the account: announced whatever the outcome, as above.
    async suspendAccount(input) {
      try {
        return await inner.suspendAccount(input);
      } finally {
        accountChanged(input.accountId);
      }
    },
    async resumeAccount(input) {
      try {
        return await inner.resumeAccount(input);
      } finally {
        accountChanged(input.accountId);
      }
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
