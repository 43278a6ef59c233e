/**
 * The published package works for a new user: `npm pack` the project, install the tarball into a fresh
 * temp project and run the README quick start from it (`longwriter mix <pkg>/recipes/quickstart.yaml`)
 * and `import { countWords } from "longwriter-toolkit"`.
 *
 * Offline by design: the tarball's own files are unpacked as `npm install` would place them, and its
 * declared runtime dependencies are linked from this checkout's node_modules (nothing is downloaded).
 * Only what the tarball holds and what its package.json declares is reachable from the unpacked package,
 * so a file missing from "files" or an undeclared dependency fails here.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const run = promisify(execFile);
const tmp = makeTmpDir("lw-npm-pack-");
const project = join(tmp, "consumer");
const pkgDir = join(project, "node_modules", "longwriter-toolkit");
let tarball = "";

beforeAll(async () => {
  // CI builds dist in `npm ci` (the prepare script); pack what is built rather than rebuilding here.
  expect(existsSync(join(PROJECT_ROOT, "dist", "cli", "index.js")), "dist/ is missing: run npm run build").toBe(true);
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: PROJECT_ROOT });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(tmp, packed!.filename);
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
  await run("tar", ["-xzf", tarball, "-C", pkgDir, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies)) {
    const link = join(project, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, "node_modules", name), link, "dir");
  }
}, 120_000);

describe("the npm package", () => {
  it("runs the quick start from the installed package (the recipe's example data ships with it)", async () => {
    const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { bin: Record<string, string> };
    const cli = join(pkgDir, manifest.bin.longwriter!);
    await run(process.execPath, [cli, "mix", join(pkgDir, "recipes", "quickstart.yaml"), "--out", "out/quickstart"], { cwd: project });
    const written = JSON.parse(readFileSync(join(project, "out", "quickstart", "manifest.json"), "utf8")) as { splits: Record<string, { rows: number }> };
    expect(Object.keys(written.splits)).toEqual(["train", "test"]);
    expect(written.splits.train!.rows).toBeGreaterThan(50);
    const card = readFileSync(join(project, "out", "quickstart", "README.md"), "utf8");
    expect(card).not.toContain(tmp);
    expect(card).toContain("long-writing.jsonl");
  }, 120_000);

  it("imports countWords from the light longwriter-toolkit/text entry (no openai, zod, Parquet or tokenizer loaded)", async () => {
    // A resolve hook records every package the import reaches; the text entry must reach none.
    const hooks = join(project, "record-packages.mjs");
    writeFileSync(
      hooks,
      [
        'import { register } from "node:module";',
        "const seen = new Set();",
        'const { port1, port2 } = new MessageChannel(); port1.on("message", (url) => seen.add(url)); port1.unref();',
        'register("data:text/javascript," + encodeURIComponent("let port; export function initialize(data) { port = data.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }"), { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });',
        'process.on("exit", () => console.log(JSON.stringify([...seen].filter((u) => u.includes("/node_modules/")).map((u) => u.split("/node_modules/").pop()))));',
      ].join("\n"),
    );
    const script = 'import { countWords } from "longwriter-toolkit/text"; console.log(countWords("Write two words 写作"));';
    const { stdout } = await run(process.execPath, ["--import", hooks, "--input-type=module", "-e", script], { cwd: project });
    const [count, loaded] = stdout.trim().split("\n");
    expect(count).toBe("5");
    const packages = (JSON.parse(loaded!) as string[]).map((path) =>
      path
        .split("/")
        .slice(0, path.startsWith("@") ? 2 : 1)
        .join("/"),
    );
    expect([...new Set(packages)]).toEqual(["longwriter-toolkit"]);
  });

  it("starts its worker threads from the installed package (reader and row-group workers), with the output of one thread", async () => {
    // Ranges and row groups small enough that the tiny example data goes through every kind of worker.
    const script = [
      'import { readFileSync } from "node:fs";',
      'import { convertFile, mixDatasets } from "longwriter-toolkit";',
      `const pkg = ${JSON.stringify(pkgDir)};`,
      // Row groups of ~10 KB: the long rows go to the row-group workers.
      'const recipe = { name: "small-groups", seed: 1, sources: [{ source: "long", path: pkg + "/examples/data/long-writing.jsonl", amount: { fraction: 2 } }], output: { rowGroupMB: 0.01 } };',
      "const outputs = [];",
      "let workers = 0;",
      'process.on("worker", () => workers++);',
      "const started = [];",
      "for (const threads of [1, 2]) {",
      '  await mixDatasets({ recipePath: pkg + "/recipes/quickstart.yaml", outDir: `mix-${threads}`, threads, readRangeBytes: 512 });',
      "  started.push(workers);",
      '  await convertFile({ input: pkg + "/examples/data/long-writing.jsonl", output: `convert-${threads}.parquet`, threads, rangeBytes: 4096 });',
      "  started.push(workers);",
      "  await mixDatasets({ recipe, outDir: `groups-${threads}`, threads });",
      "  started.push(workers);",
      '  outputs.push([`mix-${threads}/data/train-00000-of-00001.parquet`, `convert-${threads}.parquet`, `groups-${threads}/data/train-00000-of-00001.parquet`].map((f) => readFileSync(f).toString("base64")));',
      "}",
      "console.log(JSON.stringify({ same: outputs[0].map((file, i) => file === outputs[1][i]), started }));",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const { same, started } = JSON.parse(stdout.trim()) as { same: boolean[]; started: number[] };
    expect(same).toEqual([true, true, true]);
    // With two threads each of the three started workers of its own (the counts are cumulative).
    expect(started[3]).toBeGreaterThan(started[2]!);
    expect(started[4]).toBeGreaterThan(started[3]!);
    expect(started[5]).toBeGreaterThan(started[4]!);
  }, 120_000);

  it("starts the SNAPPY helper thread from the installed package, with the output of one thread", async () => {
    // 17 MiB of JSONL: read on the calling thread, so the mixer starts its helper thread (io/snappy-helper).
    const script = [
      'import { readFileSync, writeFileSync } from "node:fs";',
      'import { mixDatasets } from "longwriter-toolkit";',
      "const rows = [];",
      "for (let i = 0; rows.length * 1700 < 17 * 2 ** 20; i++) {",
      '  rows.push(JSON.stringify({ messages: [{ role: "user", content: `question ${i}` }, { role: "assistant", content: `answer ${i} `.repeat(150) }] }));',
      "}",
      'writeFileSync("helper-input.jsonl", rows.join("\\n") + "\\n");',
      'const recipe = { name: "helper", seed: 1, sources: [{ source: "rows", path: "helper-input.jsonl" }] };',
      "const events = [];",
      'process.on("worker", (worker) => { worker.on("online", () => events.push("online")); worker.on("error", (error) => events.push(`error: ${error.message}`)); });',
      "const outputs = [];",
      "for (const threads of [1, 2]) {",
      "  await mixDatasets({ recipe, outDir: `helper-${threads}`, threads });",
      '  outputs.push(readFileSync(`helper-${threads}/data/train-00000-of-00001.parquet`).toString("base64"));',
      "}",
      "console.log(JSON.stringify({ same: outputs[0] === outputs[1], events }));",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const { same, events } = JSON.parse(stdout.trim()) as { same: boolean; events: string[] };
    expect(same).toBe(true);
    // One thread started with two threads (the helper), and it loaded.
    expect(events).toEqual(["online"]);
  }, 120_000);

  it("finds the prompt files that ship beside its modules (the bundle keeps each module's own location)", async () => {
    const script = [
      'import { loadAgentWritePrompts, loadJudgeTemplate } from "longwriter-toolkit";',
      "const prompts = await loadAgentWritePrompts();",
      "const judge = await loadJudgeTemplate();",
      "console.log(JSON.stringify({ plan: prompts.plan, judge: judge.text }));",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const loaded = JSON.parse(stdout.trim()) as { plan: string; judge: string };
    expect(loaded.plan).toBe(readFileSync(join(pkgDir, "dist", "agentwrite", "prompts", "plan.md"), "utf8"));
    expect(loaded.judge).toBe(readFileSync(join(pkgDir, "dist", "judge", "prompts", "judge.md"), "utf8"));
  });

  it("imports countWords from the package entry point", async () => {
    const script = 'import { countWords } from "longwriter-toolkit"; console.log(countWords("Write two words 写作"));';
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    expect(stdout.trim()).toBe("5");
  });
});
