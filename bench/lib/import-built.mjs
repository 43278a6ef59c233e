/**
 * @module bench/lib/import-built — `importBuilt` for the plain-JavaScript jobs (`bench/jobs/*.mjs`, run on
 * plain node, where `lib/built.ts` cannot be imported): a module of the built library (`dist/`), as users
 * run it.
 */
import { existsSync } from "node:fs";

/**
 * `dist/<path>.js` imported (e.g. "mix/mix-datasets"); throws asking for `npm run build` when it is missing.
 * @param {string} path
 */
export function importBuilt(path) {
  const url = new URL(`../../dist/${path}.js`, import.meta.url);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run \`npm run build\` first`);
  return import(url.href);
}
