import { writeFileSync } from "node:fs";
import { generateOpenApi } from "./openapi.ts";

const { partner, internal } = await generateOpenApi();
writeFileSync(new URL("../openapi.json", import.meta.url), partner);
writeFileSync(new URL("../openapi-internal.json", import.meta.url), internal);
process.stdout.write(
  "wrote openapi.json (partner API) and openapi-internal.json (operator and internal API)\n",
);
