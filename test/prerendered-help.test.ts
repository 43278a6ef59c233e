/**
 * `longwriter [<command>] --help` and `--version` printed from the help the build rendered (without
 * loading yargs) are exactly what yargs prints. The test builds its own copy of dist/ the way `npm run build`
 * does (tsc, scripts/render-help.mjs, scripts/bundle.mjs), so it checks the sources of this checkout, not
 * whatever dist/ happens to hold, and compares that copy's bundled CLI (what package.json "bin" runs) with the
 * CLI run from source, where no table exists and yargs answers everything.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  helpRequest,
  PRERENDERED_WIDTHS,
  type PrerenderedHelp,
  prerenderedHelpWords,
  prerenderedOutput,
  renderHelp,
  yargsLocaleIsEnglish,
} from "../src/cli/prerendered-help.js";
import { commandLoaders } from "../src/cli/commands/index.js";
import { PROJECT_ROOT, runCli } from "./helpers/run-cli.js";

const run = promisify(execFile);
// Inside the project so the built files resolve this checkout's node_modules, as dist/ does.
mkdirSync(join(PROJECT_ROOT, ".cache"), { recursive: true });
const root = mkdtempSync(join(PROJECT_ROOT, ".cache", "help-build-"));
const dist = join(root, "dist");
const cli = join(dist, "bundle", "cli-index.js");
let table: PrerenderedHelp;

/** Runs the freshly built CLI with a clean locale unless `env` says otherwise. */
async function runBuilt(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: PROJECT_ROOT, env: { ...cleanLocale(), ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** process.env without the variables yargs reads its locale from (undefined: not passed to the child). */
function cleanLocale(): Record<string, string | undefined> {
  return { ...process.env, LC_ALL: undefined, LC_MESSAGES: undefined, LANG: undefined, LANGUAGE: undefined };
}

beforeAll(async () => {
  await run(process.execPath, [join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--outDir", dist], {
    cwd: PROJECT_ROOT,
  });
  copyFileSync(join(PROJECT_ROOT, "package.json"), join(root, "package.json"));
  await run(process.execPath, [join(PROJECT_ROOT, "scripts", "render-help.mjs"), dist], { cwd: PROJECT_ROOT });
  await run(process.execPath, [join(PROJECT_ROOT, "scripts", "bundle.mjs"), dist], { cwd: PROJECT_ROOT });
  table = JSON.parse(readFileSync(join(dist, "cli", "help.json"), "utf8")) as PrerenderedHelp;
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("pre-rendered help", () => {
  it("the build stores every command's help at each width, as the parser renders it", async () => {
    expect(Object.keys(table.widths)).toEqual(PRERENDERED_WIDTHS.map(String));
    expect(prerenderedHelpWords()).toEqual(["", ...commandLoaders.map(([name]) => name)]);
    for (const width of PRERENDERED_WIDTHS) {
      expect(Object.keys(table.widths[String(width)]!)).toEqual(prerenderedHelpWords());
      // Each width really is laid out at that width (the longest line fits and some line uses it).
      const lines = Object.values(table.widths[String(width)]!).flatMap((text) => text.split("\n"));
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(width);
      expect(Math.max(...lines.map((line) => line.length))).toBeGreaterThan(width - 10);
    }
    expect(table.widths["80"]!.mix).toBe(await renderHelp("mix", 80));
  });

  it("prints exactly what yargs prints, and exits 0", async () => {
    for (const args of [["mix", "--help"], ["--help"], ["stats", "-h"], ["eval", "--help"], ["--version"]]) {
      const [built, source] = await Promise.all([runBuilt(args), runCli(args, { env: cleanLocale() })]);
      expect(built.stdout, args.join(" ")).toBe(source.stdout);
      expect(built.stdout.length).toBeGreaterThan(args[0] === "--version" ? 4 : 500);
      expect([built.code, built.stderr]).toEqual([0, ""]);
      expect(source.code).toBe(0);
    }
  }, 120_000);

  it("prints every stored command's help as the table holds it (stdout not a terminal: 100 columns)", async () => {
    for (const words of prerenderedHelpWords()) {
      const { stdout } = await runBuilt([...(words ? [words] : []), "--help"]);
      expect(stdout, words).toBe(`${table.widths["100"]![words]}\n`);
    }
  }, 120_000);

  it("loads no yargs (and no library) for `mix --help` and `--version`", async () => {
    const hooks = join(root, "record-urls.mjs");
    const seen = join(root, "seen.json");
    writeFileSync(
      hooks,
      [
        'import { register } from "node:module";',
        'import { writeFileSync } from "node:fs";',
        "const seen = new Set();",
        'const { port1, port2 } = new MessageChannel(); port1.on("message", (url) => seen.add(url)); port1.unref();',
        'register("data:text/javascript," + encodeURIComponent("let port; export function initialize(data) { port = data.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }"), { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });',
        `process.on("exit", () => writeFileSync(${JSON.stringify(seen)}, JSON.stringify([...seen])));`,
      ].join("\n"),
    );
    for (const args of [["mix", "--help"], ["--version"]]) {
      await run(process.execPath, ["--import", hooks, cli, ...args], { cwd: PROJECT_ROOT, env: cleanLocale() });
      const urls = (JSON.parse(readFileSync(seen, "utf8")) as string[]).filter((url) => url.startsWith("file:"));
      expect(
        urls.every((url) => url.includes("/dist/bundle/")),
        urls.join(" "),
      ).toBe(true);
      // The bundle names each module it holds in a comment ("// dist/cli/index.js"): these are the ones loaded.
      const modules = urls.flatMap((url) => [...readFileSync(new URL(url), "utf8").matchAll(/^\/\/ \S*?dist\/(\S+\.js)$/gm)].map((m) => m[1]!));
      expect(modules.sort(), args.join(" ")).toEqual(["cli/commands/index.js", "cli/help-width.js", "cli/index.js", "cli/prerendered-help.js", "version.js"]);
    }
    // The control: a run that parses arguments does load yargs (so the hook sees packages).
    await run(process.execPath, ["--import", hooks, cli, "mix", "--help", "--json"], { cwd: PROJECT_ROOT, env: cleanLocale() });
    expect((JSON.parse(readFileSync(seen, "utf8")) as string[]).some((url) => url.includes("/node_modules/yargs/"))).toBe(true);
  }, 60_000);

  it("leaves other locales, arguments and widths to yargs", async () => {
    const german = await runBuilt(["mix", "--help"], { LANG: "de_DE.UTF-8" });
    expect(german.stdout).toContain("Optionen:");
    expect(german.stdout).toBe((await runCli(["mix", "--help"], { env: { ...cleanLocale(), LANG: "de_DE.UTF-8" } })).stdout);
    for (const env of [{ LANG: "C.UTF-8" }, { LC_ALL: "en_GB.UTF-8" }, { LANGUAGE: "en" }, { LC_ALL: "", LANG: "POSIX" }]) {
      expect((await runBuilt(["mix", "--help"], env)).stdout, JSON.stringify(env)).toBe(`${table.widths["100"]!.mix}\n`);
    }
  }, 60_000);
});

describe("which requests are answered from the table", () => {
  const context = { width: 100, env: {}, version: "9.9.9", table: () => ({ widths: { "100": { "": "TOP", mix: "MIX" } } }) };

  it("plain help requests only: the help flag last, at most one command word", () => {
    expect(helpRequest(["--help"])).toBe("");
    expect(helpRequest(["-h"])).toBe("");
    expect(helpRequest(["mix", "--help"])).toBe("mix");
    expect(helpRequest(["mix", "-h"])).toBe("mix");
    for (const argv of [
      [],
      ["mix"],
      ["--help", "mix"],
      ["mix", "x.yaml", "--help"],
      ["mix", "--json", "--help"],
      ["eval", "ruler", "--help"],
      ["--version", "--help"],
    ]) {
      expect(helpRequest(argv), argv.join(" ")).toBeUndefined();
    }
  });

  it("answers --version alone and stored help at the same width and an English locale", () => {
    expect(prerenderedOutput(["--version"], context)).toBe("9.9.9\n");
    expect(prerenderedOutput(["--version", "mix"], context)).toBeUndefined();
    expect(prerenderedOutput(["mix", "--help"], context)).toBe("MIX\n");
    expect(prerenderedOutput(["-h"], context)).toBe("TOP\n");
    expect(prerenderedOutput(["stats", "--help"], context)).toBeUndefined();
    expect(prerenderedOutput(["mix", "--help"], { ...context, width: 93 })).toBeUndefined();
    expect(prerenderedOutput(["mix", "--help"], { ...context, env: { LANG: "fr_FR.UTF-8" } })).toBeUndefined();
    expect(prerenderedOutput(["mix", "--help"], { ...context, table: () => undefined })).toBeUndefined();
  });

  it("reads the locale the way yargs does", () => {
    expect(yargsLocaleIsEnglish({})).toBe(true);
    expect(yargsLocaleIsEnglish({ LANG: "en_US.UTF-8" })).toBe(true);
    expect(yargsLocaleIsEnglish({ LANG: "C.UTF-8" })).toBe(true);
    expect(yargsLocaleIsEnglish({ LC_ALL: "de_DE.UTF-8", LANG: "en_US.UTF-8" })).toBe(false);
    expect(yargsLocaleIsEnglish({ LC_ALL: "", LC_MESSAGES: "ja_JP", LANG: "en_US" })).toBe(false);
    expect(yargsLocaleIsEnglish({ LANGUAGE: "pt_BR:pt" })).toBe(false);
    expect(yargsLocaleIsEnglish({ LANGUAGE: "english" })).toBe(false);
  });
});
