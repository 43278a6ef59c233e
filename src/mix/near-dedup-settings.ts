/** @module mix/near-dedup-settings — the recipe's `dedup.near` with every default filled in, checked. */
import { ConfigError } from "../errors.js";
import type { MixRecipe } from "../schemas/mix-recipe.js";

/** MinHash + LSH settings as run and recorded in the manifest. */
export interface NearDedupSettings {
  threshold: number;
  shingle: number;
  permutations: number;
  bands: number;
}

/** `dedup.near` (`true` = the defaults) as complete settings, or null when near dedup is off. */
export function nearDedupSettings(near: NonNullable<MixRecipe["dedup"]>["near"], file: string): NearDedupSettings | null {
  if (!near) return null;
  const spec = near === true ? {} : near;
  const settings = { threshold: spec.threshold ?? 0.8, shingle: spec.shingle ?? 5, permutations: spec.permutations ?? 128, bands: spec.bands ?? 16 };
  if (settings.permutations % settings.bands !== 0) {
    throw new ConfigError(`permutations (${settings.permutations}) must be divisible by bands (${settings.bands})`, { file, field: "dedup.near" });
  }
  return settings;
}
