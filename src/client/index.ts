export { AdminClient } from "./admin-client.ts";
export { ApiError } from "./http.ts";
export type * from "./types.ts";
