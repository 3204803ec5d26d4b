/** One delivery attempt as sent: the body and the signed headers. */
export interface WebhookRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** What an attempt came to: an answer's status, or why there was none (refused, unreachable, timed out). */
export type WebhookResponse = { kind: "ANSWERED"; status: number } | { kind: "FAILED"; error: string };

/** Whether a URL may receive webhooks, once its name is resolved. */
export type TargetVetting = { ok: true } | { ok: false; problem: string };

/**
 * The port through which webhooks leave the service. The adapter resolves the target's name,
 * refuses addresses that may not be reached (unless insecure targets are allowed) and connects to
 * the address it checked, so a name that resolves differently the next time cannot slip past.
 */
export interface WebhookTransport {
  /** Resolves the URL's host and checks every address (at registration). */
  vet(url: URL): Promise<TargetVetting>;
  /** POSTs the request; `signal` aborts it (the timeout, or the service stopping). */
  send(request: WebhookRequest, signal: AbortSignal): Promise<WebhookResponse>;
}
