/**
 * @module mix/locate-source — where a recipe source's rows come from: the local files its path or glob
 * matches (each checked to exist), or the Hub files it names (fetched or found in the cache), with the
 * tag its rows carry and the location the manifest records. Under --frozen a Hub source must pin a commit.
 */
import { stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { ConfigError } from "../errors.js";
import type { MixRecipe, MixSource } from "../schemas/mix-recipe.js";
import type { LoadedRecipe } from "./load-recipe.js";
import type { MixSourceManifest } from "./mix-manifest.js";
import { resolveHubSource, type HubPull } from "./resolve-hub-source.js";
import { displayPath, resolveLocalFiles } from "./resolve-local-files.js";

/** One source's files, ready to read. */
export interface LocatedSource {
  tag: string;
  files: Array<{ path: string; display: string }>;
  location: MixSourceManifest["location"];
}

/** Locates every source in recipe order, so a missing file fails before any rows are read. */
export async function locateSources({
  recipe,
  loaded,
  frozen,
  pull,
  onResolve,
}: {
  recipe: MixRecipe;
  loaded: LoadedRecipe;
  frozen: boolean;
  pull: HubPull | undefined;
  /** Called before a Hub source is resolved (the CLI shows it). */
  onResolve?: ((source: string) => void) | undefined;
}): Promise<LocatedSource[]> {
  const located: LocatedSource[] = [];
  for (const [index, spec] of recipe.sources.entries()) located.push(await locateSource({ spec, index, loaded, frozen, pull, onResolve }));
  return located;
}

async function locateSource({
  spec,
  index,
  loaded,
  frozen,
  pull,
  onResolve,
}: {
  spec: MixSource;
  index: number;
  loaded: LoadedRecipe;
  frozen: boolean;
  pull: HubPull | undefined;
  onResolve: ((source: string) => void) | undefined;
}): Promise<LocatedSource> {
  const { file, baseDir } = loaded;
  if (spec.path !== undefined) {
    const files = await resolveLocalFiles({ pattern: spec.path, baseDir });
    const missing: string[] = [];
    for (const path of files) {
      const info = await stat(path).catch(() => undefined);
      if (!info || !(info.isFile() || info.isDirectory())) missing.push(path);
    }
    if (files.length === 0 || missing.length > 0) {
      throw new ConfigError(
        files.length === 0 ? `no file matches "${spec.path}" (relative to ${displayPath(baseDir, process.cwd()) || "."})` : `file not found: ${missing[0]}`,
        {
          file,
          field: `sources.${index}.path`,
          exitCode: 1,
        },
      );
    }
    const display = files.map((path) => displayPath(path, baseDir));
    const tag = spec.source ?? defaultTag(spec.path);
    return {
      tag,
      files: files.map((path, i) => ({ path, display: display[i]! })),
      location: { kind: "local", path: isAbsolute(spec.path) ? displayPath(spec.path, baseDir) : spec.path, files: display },
    };
  }
  const repo = spec.repo!;
  if (frozen) checkFrozen(spec, index, file);
  onResolve?.(spec.source ?? repo);
  const pulled = await resolveHubSource({
    repo,
    revision: spec.revision ?? "main",
    files: spec.files,
    split: spec.split,
    pull,
    file,
    field: `sources.${index}`,
  });
  const tag = spec.source ?? repo;
  return {
    tag,
    files: pulled.files.map((f) => ({ path: f.localPath, display: f.path })),
    location: { kind: "hub", repo, revision: spec.revision ?? "main", sha: pulled.sha, files: pulled.files.map((f) => f.path) },
  };
}

/** Under --frozen a Hub source must name a 40-hex commit. */
export function checkFrozen(spec: MixSource, index: number, file: string): void {
  if (spec.repo === undefined || /^[0-9a-f]{40}$/.test(spec.revision ?? "")) return;
  throw new ConfigError(
    spec.revision === undefined
      ? "--frozen needs every Hub source pinned to a commit: add revision: <40-hex sha>"
      : `--frozen needs a 40-hex commit sha, not "${spec.revision}"`,
    { file, field: `sources.${index}.revision` },
  );
}

/** A local source's default tag: the last literal path segment without its data extension. */
function defaultTag(path: string): string {
  const base =
    path
      .split(/[\\/]/)
      .filter((p) => p && !/[*?{[]/.test(p))
      .at(-1) ?? path;
  return base.replace(/\.(jsonl|ndjson|json|parquet)$/i, "");
}
