import { invalidParameter } from "./errors.ts";

/** Deeper bodies are refused: no request of this API nests anywhere near this. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `limit` (checked without recursion). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * JSON with object keys sorted at every level: equal values give equal text, whatever the key order.
 * A value nested deeper than MAX_JSON_DEPTH is a 400, never a stack overflow.
 */
export function canonicalJson(value: unknown): string {
  if (deeperThan(value, MAX_JSON_DEPTH)) {
    throw invalidParameter("body", `must not nest deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
