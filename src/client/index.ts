export { AdminClient } from "./admin-client.ts";
export { ApiError } from "./http.ts";
export { PartnerClient, type PartnerClientOptions } from "./partner-client.ts";
export type * from "./types.ts";
