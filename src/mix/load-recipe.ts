/**
 * @module mix/load-recipe — reads a mixture recipe (YAML or JSON), validates it with the zod schema and
 * reports the first problem as `recipe.yaml: field sources.1.amount: … (line 12)`.
 */
import { dirname, resolve } from "node:path";
import { readYamlConfig, validateConfig, type LocateField } from "../io/yaml-config.js";
import { mixRecipeSchema, type MixRecipe } from "../schemas/mix-recipe.js";
import { stableHash } from "../text/record-id.js";

/** A validated recipe with where it came from. */
export interface LoadedRecipe {
  recipe: MixRecipe;
  /** The recipe file as given (used in messages), or "<recipe>" for an in-memory recipe. */
  file: string;
  /** Directory that relative source paths resolve against. */
  baseDir: string;
  /** sha256 of the recipe's content with keys sorted (comments and formatting don't change it). */
  hash: string;
  /** The recipe text (YAML) as written into the dataset dir. */
  text: string;
}

/**
 * Loads and validates `recipe.yaml`. Throws a ConfigError (exit code 2) naming the file, the field path
 * and, when it can, the line.
 *
 * @example const { recipe, hash } = await loadRecipe({ path: "recipes/quickstart.yaml" });
 */
export async function loadRecipe({ path }: { path: string }): Promise<LoadedRecipe> {
  const { text, value, locate } = await readYamlConfig({ path, what: "recipe" });
  const recipe = validateRecipe({ value, file: path, locate });
  return { recipe, file: path, baseDir: dirname(resolve(path)), hash: stableHash(recipe), text };
}

/**
 * Validates an in-memory recipe object (already parsed). `file` names it in errors.
 */
export function validateRecipe({ value, file = "<recipe>", locate }: { value: unknown; file?: string; locate?: LocateField }): MixRecipe {
  return validateConfig({
    schema: mixRecipeSchema,
    value,
    file,
    what: "a recipe is a YAML mapping (name, seed, sources, ...)",
    locate,
  });
}
