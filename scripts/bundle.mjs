/**
 * Bundles the built library (dist/, tsc's output) into dist/bundle/: the package entries, the CLI and every
 * module a worker thread starts from, as ES modules sharing chunks. Node's ES module loader costs ~0.6 ms per
 * module, and a command reached ~260 of them (95 of them zod's) before doing any work; bundled, it loads a few.
 *
 * - Every output file sits directly in dist/bundle/, and each module's `import.meta.url` is rewritten to the
 *   URL of its own file in dist/, so the files it finds next to itself (prompts, help.json, package.json)
 *   are found as before.
 * - Modules that a worker thread loads by URL (`moduleUrl(import.meta.url, "./x")`) are found in dist/ and
 *   made entries of their own; `moduleUrl` maps them to their bundle file (io/start-worker.ts).
 * - Dependencies are bundled only when they are plain JavaScript that does not look itself up on disk; the
 *   others stay imports of the installed package (the build fails if a bundled one starts doing so).
 *
 * Usage: node scripts/bundle.mjs [dist dir, default: dist] (after tsc; part of `npm run build`).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..");
const DIST = resolve(process.argv[2] ?? join(ROOT, "dist"));
const OUT = join(DIST, "bundle");

/** Dependencies bundled: plain JavaScript, no `import.meta`, `__dirname` or `require.resolve`. */
const BUNDLED_PACKAGES = ["zod", "yaml", "hyparquet", "hyparquet-writer", "hyparquet-compressors", "picomatch", "openai"];

/**
 * zod's index of its ~60 message locales (`z.locales`, 370 KB: half of zod's code in the bundle), of which the
 * toolkit uses only English, the one zod sets itself. Bundled as that one alone: the package entry parses
 * 2.0 MB instead of 2.4 MB, ~8 ms less (docs/decisions.md, Tooling).
 */
const ZOD_LOCALES = join(ROOT, "node_modules", "zod", "v4", "locales", "index.js");

/** The bundle file of the dist module at `path` (relative to dist/): the same name with "/" as "-". */
function bundleName(path) {
  return path.replace(/\.js$/, "").split("/").join("-");
}

/** dist/ modules that code loads by URL in a worker thread (`moduleUrl(import.meta.url, "./x")`). */
function workerModules() {
  const found = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== OUT) walk(path);
      } else if (entry.name.endsWith(".js")) {
        for (const match of readFileSync(path, "utf8").matchAll(/moduleUrl\(import\.meta\.url, "([^"]+)"\)/g)) {
          found.add(
            relative(DIST, resolve(dir, `${match[1]}.js`))
              .split(sep)
              .join("/"),
          );
        }
      }
    }
  };
  walk(DIST);
  return [...found].sort();
}

const packageOf = (file) => {
  const parts = relative(join(ROOT, "node_modules"), file).split(sep);
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
};

const RESOLVING = Symbol("resolving");

/**
 * Per build: bundled packages imported statically, and those a module imports with import() that stay imports of
 * the installed package (CommonJS, above). Both for one package means two copies loaded (yaml's cost a mix ~20 ms).
 */
const bundledNow = new Set();
const importedLater = new Map();

/** Whether Node loads the file at `path` as CommonJS (by its extension, or the nearest package.json's "type"). */
function isCommonJs(path) {
  if (path.endsWith(".cjs")) return true;
  if (path.endsWith(".mjs")) return false;
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")).type !== "module";
  }
  return true;
}

/** Gives each module the `import.meta.url` of its file in dist/; keeps unlisted dependencies external. */
const placeModules = {
  name: "place-modules",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("node:") || args.pluginData === RESOLVING) return undefined;
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      if (!BUNDLED_PACKAGES.includes(name)) return { external: true };
      // A CommonJS package bundled behind import() would come back as { default } only: Node's own loader
      // gives it its named exports, so such an import stays an import of the installed package.
      if (args.kind === "dynamic-import") {
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: RESOLVING });
        if (resolved.errors.length === 0 && isCommonJs(resolved.path)) {
          importedLater.set(name, relative(ROOT, args.importer));
          return { external: true };
        }
      }
      bundledNow.add(name);
      return undefined;
    });
    b.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
      if (args.path === ZOD_LOCALES) return { contents: 'export { default as en } from "./en.js";', loader: "js", resolveDir: dirname(args.path) };
      const source = readFileSync(args.path, "utf8");
      if (args.path.startsWith(DIST + sep)) {
        const self = `../${relative(DIST, args.path).split(sep).join("/")}`;
        return { contents: source.replaceAll("import.meta.url", `new URL(${JSON.stringify(self)}, import.meta.url).href`), loader: "js" };
      }
      if (/import\.meta|__dirname|__filename|require\.resolve/.test(source)) {
        throw new Error(`${relative(ROOT, args.path)} looks itself up on disk: ${packageOf(args.path)} cannot be bundled (remove it from BUNDLED_PACKAGES)`);
      }
      return undefined;
    });
  },
};

/**
 * Three builds, each splitting only among its own entries: the library's entries (which share modules: a
 * function imported from both is the same function), the CLI (one chunk per command, loaded when run) and
 * the worker modules (each thread loads its own). One build for all cut the library into ~80 chunks along the
 * CLI's command lines, and each file costs the loader time.
 */
const BUILDS = (workers) => ({ lib: ["index.js", "entries/text.js"], cli: ["cli/index.js"], worker: workers });

async function bundle() {
  rmSync(OUT, { recursive: true, force: true });
  const builds = BUILDS(workerModules());
  for (const [name, modules] of Object.entries(builds)) {
    bundledNow.clear();
    importedLater.clear();
    await build({
      entryPoints: modules.map((path) => ({ in: join(DIST, path), out: bundleName(path) })),
      outdir: OUT,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      // Named by build, so that no two builds write the same file.
      chunkNames: `${name}-chunk-[hash]`,
      sourcemap: true,
      // CommonJS dependencies (yaml) call require() for Node's built-ins.
      banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
      define: { LONGWRITER_BUNDLED: "true" },
      plugins: [placeModules],
      logLevel: "warning",
    });
    for (const [pkg, importer] of importedLater) {
      if (bundledNow.has(pkg)) {
        throw new Error(`${importer} imports ${pkg} with import(), which loads a second copy of it beside the bundled one: import it statically`);
      }
    }
  }
  return Object.values(builds).flat();
}

const modules = await bundle();
console.log(`bundled ${modules.length} entries into ${relative(ROOT, OUT) || OUT}`);
