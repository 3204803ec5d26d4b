export {
  ApiError,
  AuthenticationError,
  ConflictError,
  errorFor,
  type InvalidParameter,
  NotFoundError,
  PermissionError,
  RateLimitError,
  TransportError,
  ValidationError,
} from "./errors.ts";
export { PartnerClient, type PartnerClientOptions, type WriteOptions } from "./partner-client.ts";
export type { ClientOptions, RetryOptions } from "./transport.ts";
export type * from "./types.ts";
