/**
 * @module bench/lib/built — imports a module of the built library (`dist/`), as users run it. Jobs that start
 * worker threads use it: from the sources every worker would first start tsx and transform the modules it
 * loads (~0.5 s CPU per worker, measured), which users never pay. Plain-JavaScript jobs use lib/import-built.mjs.
 */
import { existsSync } from "node:fs";
import { PROJECT_ROOT } from "./measure.js";

/** `dist/<path>.js` imported (e.g. "mix/mix-datasets"); throws asking for `npm run build` when it is missing. */
export async function importBuilt<T>(path: string): Promise<T> {
  const built = new URL(`../../dist/${path}.js`, import.meta.url);
  if (!existsSync(built)) throw new Error(`${built.pathname} is missing: run \`npm run build\` in ${PROJECT_ROOT} first`);
  return (await import(built.href)) as T;
}
