import { writeFileSync } from "node:fs";
import { generateOpenApi } from "./openapi.ts";

writeFileSync(new URL("../openapi.json", import.meta.url), await generateOpenApi());
process.stdout.write("wrote openapi.json\n");
