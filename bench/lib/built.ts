/**
 * @module bench/lib/built — imports the built package's entry (package.json "exports", the bundle `npm run
 * build` writes), as users import it. Jobs that start worker threads use it: from the sources every worker would
 * first start tsx and transform the modules it loads (~0.5 s CPU per worker, measured), which users never pay.
 * Plain-JavaScript jobs use lib/import-built.mjs.
 */
import { existsSync, readFileSync } from "node:fs";
import { PROJECT_ROOT } from "./measure.js";

/** The package's "." entry; throws asking for `npm run build` when it is missing. */
export async function importPackage(): Promise<typeof import("../../src/index.js")> {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, { import: string }> };
  const built = new URL(`../../${manifest.exports["."]!.import}`, import.meta.url);
  if (!existsSync(built)) throw new Error(`${built.pathname} is missing: run \`npm run build\` in ${PROJECT_ROOT} first`);
  return (await import(built.href)) as typeof import("../../src/index.js");
}
