/**
 * @module bench/lib/scale — benchmark scale and scratch space. `BENCH_SCALE=0.1 npm run bench` runs every
 * benchmark at a tenth of its default size, to check that it works without the full cost.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PROJECT_ROOT } from "./measure.js";

/** The BENCH_SCALE multiplier (default 1); throws on a value that is not a positive number. */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === "") return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`BENCH_SCALE must be a positive number, got "${raw}"`);
  return value;
}

/** `base × BENCH_SCALE`, rounded, at least `min`. */
export function scaled(base: number, min = 1): number {
  return Math.max(min, Math.round(base * benchScale()));
}

/** `bench/.work/<name>` (git-ignored), created if missing: generated inputs and outputs live here. */
export async function workDir(name: string): Promise<string> {
  const dir = join(PROJECT_ROOT, "bench", ".work", name);
  await mkdir(dir, { recursive: true });
  return dir;
}
