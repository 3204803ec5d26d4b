/** The two sources of non-determinism every service receives instead of reaching for globals. */
export interface Clock {
  now(): Date;
}

export interface Random {
  /** Cryptographically secure random bytes. */
  bytes(length: number): Uint8Array;
}
