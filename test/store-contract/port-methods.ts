import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PORT_FILE = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/store/port.ts");

/**
 * The method names the `Store` interface declares in src/store/port.ts, with those of the
 * interfaces it extends (declared there or imported from a relative path). Reads the source as
 * Biome formats it: an interface's members begin two spaces in, its closing brace at the margin.
 */
export function portMethodNames(): string[] {
  return [...new Set(interfaceMethods(PORT_FILE, "Store"))].sort();
}

function interfaceMethods(file: string, name: string): string[] {
  const source = readFileSync(file, "utf8");
  const header = new RegExp(`^export interface ${name}\\b(?:<[^>]*>)?(?: extends ([^{]+?))? \\{$`, "m").exec(
    source,
  );
  if (!header) {
    const imported = new RegExp(`import type \\{[^}]*\\b${name}\\b[^}]*\\} from "(\\.[^"]+)"`).exec(source);
    if (!imported?.[1]) throw new Error(`interface ${name} is neither declared nor imported in ${file}`);
    return interfaceMethods(resolve(dirname(file), imported[1]), name);
  }
  const start = header.index + header[0].length;
  const body = source.slice(start, source.indexOf("\n}", start));
  const own = [...body.matchAll(/^ {2}(\w+)\??(?:<[^>]*>)?\(/gm)].map((m) => m[1] ?? "");
  const parents = (header[1] ?? "")
    .split(",")
    .map((parent) => parent.replace(/<.*$/, "").trim())
    .filter((parent) => parent.length > 0);
  return [...own, ...parents.flatMap((parent) => interfaceMethods(file, parent))];
}
