import { readFileSync, writeFileSync } from "node:fs";
import { updateReference } from "../src/config/reference.ts";

/** Rewrites the generated tables of docs/configuration.md from the settings' declarations. */
const file = new URL("../docs/configuration.md", import.meta.url);
const before = readFileSync(file, "utf8");
const after = updateReference(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(`${after === before ? "unchanged" : "wrote"} docs/configuration.md\n`);
