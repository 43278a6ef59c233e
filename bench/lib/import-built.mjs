/**
 * @module bench/lib/import-built — `importPackage` for the plain-JavaScript jobs (`bench/jobs/*.mjs`, run on
 * plain node, where `lib/built.ts` cannot be imported): the built package's entry, as users import it.
 */
import { existsSync, readFileSync } from "node:fs";

/** The package's "." entry (package.json "exports", the bundle `npm run build` writes); asks for a build when it is missing. */
export function importPackage() {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const url = new URL(`../../${manifest.exports["."].import}`, import.meta.url);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run \`npm run build\` first`);
  return import(url.href);
}
