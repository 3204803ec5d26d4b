import { newUuidV7 } from "../domain/identifiers.ts";
import { generateKey } from "../domain/key-format.ts";
import { hashSecret, type PepperRing } from "../domain/secret-hash.ts";
import type { CredentialType, Environment } from "../domain/types.ts";
import type { NewCredential } from "../store/port.ts";
import type { ServiceRuntime } from "./runtime.ts";

export interface MintedCredential extends NewCredential {
  /** The API key in clear: returned to the caller once, never stored. */
  apiKey: string | null;
}

export interface KeySettings {
  brand: string;
  peppers: PepperRing;
  /** Whether a rate-limit category (lower case, as a permission names it) exists. */
  categoryExists?: (category: string) => boolean;
}

/** Creates a credential with a fresh key: API keys keep only their HMAC, Client IDs are public. */
export function mintCredential(
  runtime: ServiceRuntime,
  keys: KeySettings,
  input: {
    accountId: string;
    type: CredentialType;
    environment: Environment;
    description: string;
    createdBy: string;
    rotatedFrom?: string;
    permissions?: readonly string[] | null;
  },
): MintedCredential {
  const now = runtime.clock.now();
  const generated = generateKey({
    brand: keys.brand,
    environment: input.environment,
    type: input.type,
    random: runtime.random,
  });
  const isApiKey = input.type === "API";
  return {
    credential: {
      credentialId: newUuidV7(runtime.clock, runtime.random),
      accountId: input.accountId,
      type: input.type,
      environment: input.environment,
      description: input.description,
      status: "ACTIVE",
      statusReason: null,
      lookupId: generated.lookupId,
      clientId: isApiKey ? null : generated.key,
      createdAt: now,
      createdBy: input.createdBy,
      lastUsedAt: null,
      disabledAt: null,
      expiresAt: null,
      deletedAt: null,
      activityAt: now,
      rotatedFrom: input.rotatedFrom ?? null,
      rotatedTo: null,
      rotationEnd: null,
      permissions: input.permissions ?? null,
    },
    secret: isApiKey ? hashSecret(keys.peppers.current, generated.key) : null,
    apiKey: isApiKey ? generated.key : null,
  };
}
