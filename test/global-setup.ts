import { execFileSync } from "node:child_process";
import { ROOT } from "./process.ts";

/**
 * Tests that start `partnerctl` run the compiled JavaScript, as production does: build it first
 * (incremental, so an unchanged tree costs little), so no test runs yesterday's dist/.
 */
export default function build(): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
}
