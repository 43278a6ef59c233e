/**
 * @module bench/run — `npm run bench [name ...]`: runs every `bench/*.bench.ts` (or only those named, e.g.
 * `npm run bench -- count-words`) and writes BENCHMARKS.md. Each benchmark file default-exports
 * `async () => ({ title, markdown })`. When only some are named, their sections replace the old ones in
 * BENCHMARKS.md and the others are kept. BENCH_SCALE (default 1) shrinks or grows every benchmark.
 */
import { readdir, readFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomic } from "../src/io/atomic-file.js";
import { PROJECT_ROOT } from "./lib/measure.js";
import { benchScale } from "./lib/scale.js";

/** What a benchmark file's default export resolves to. */
export interface BenchSection {
  title: string;
  markdown: string;
}

const BENCH_DIR = join(PROJECT_ROOT, "bench");
const OUTPUT = join(PROJECT_ROOT, "BENCHMARKS.md");
const SUFFIX = ".bench.ts";

async function main(argv: string[]): Promise<number> {
  const scale = benchScale();
  const available = (await readdir(BENCH_DIR)).filter((f) => f.endsWith(SUFFIX)).sort();
  const names = argv.length === 0 ? available.map((f) => f.slice(0, -SUFFIX.length)) : argv.map(normaliseName);
  for (const name of names) {
    if (!available.includes(`${name}${SUFFIX}`)) {
      process.stderr.write(`bench: no bench/${name}${SUFFIX} (have: ${available.join(", ") || "none"})\n`);
      return 2;
    }
  }

  const sections = await readExistingSections();
  let failed = 0;
  for (const name of names) {
    process.stderr.write(`bench: ${name} (BENCH_SCALE=${scale}) ...\n`);
    const loadAtStart = loadavg()[0]!;
    const freshMemory = freshMemoryCost();
    const started = performance.now();
    let section: BenchSection;
    try {
      const module = (await import(pathToFileURL(join(BENCH_DIR, `${name}${SUFFIX}`)).href)) as {
        default: () => Promise<BenchSection>;
      };
      section = await module.default();
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`bench: ${name} FAILED: ${message}\n`);
      section = { title: name, markdown: `**FAILED**: \`${message.split("\n")[0]}\`` };
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`bench: ${name} done in ${seconds} s\n`);
    const load = `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
    sections.set(
      name,
      `## ${section.title}\n\n_bench/${name}${SUFFIX}, BENCH_SCALE=${scale}, ${seconds} s, ${load} on ${availableParallelism()} cores, ${freshMemory}_\n\n${section.markdown.trim()}\n`,
    );
  }

  await writeFileAtomic(OUTPUT, render(sections));
  process.stderr.write(`bench: wrote ${OUTPUT}\n`);
  return failed > 0 ? 1 : 0;
}

function normaliseName(arg: string): string {
  return arg
    .replace(/^bench\//, "")
    .replace(/\.bench\.ts$/, "")
    .replace(/\.ts$/, "");
}

/**
 * What first writes to fresh memory cost on this machine now, against rewriting the same memory: writing
 * 64 MiB into a new buffer (a page fault per 4 KiB) vs into that buffer again. Virtual machines differ a lot
 * here (and one machine from day to day), and it weighs on whichever job allocates more: a line per section
 * says how the machine stood when it ran.
 */
function freshMemoryCost(): string {
  const source = Buffer.alloc(64 << 20, 1);
  let fresh = Number.POSITIVE_INFINITY;
  let reused = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    const target = Buffer.allocUnsafeSlow(source.length);
    target.set(source);
    fresh = Math.min(fresh, performance.now() - started);
    started = performance.now();
    target.set(source);
    reused = Math.min(reused, performance.now() - started);
  }
  return `writing 64 MiB of fresh memory ${fresh.toFixed(0)} ms (rewriting it ${reused.toFixed(0)} ms)`;
}

function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const memGb = (totalmem() / 1024 ** 3).toFixed(0);
  return `Node ${process.version}, ${cpu}, ${availableParallelism()} cores, ${memGb} GB RAM, ${process.platform}/${process.arch}`;
}

const BEGIN = (name: string) => `<!-- bench:${name} -->`;
const END = (name: string) => `<!-- /bench:${name} -->`;

/** Sections of the current BENCHMARKS.md, by benchmark name (kept when only some benchmarks are rerun). */
async function readExistingSections(): Promise<Map<string, string>> {
  const sections = new Map<string, string>();
  let text: string;
  try {
    text = await readFile(OUTPUT, "utf8");
  } catch {
    return sections;
  }
  const pattern = /<!-- bench:([\w.-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g;
  for (const match of text.matchAll(pattern)) sections.set(match[1]!, match[2]!);
  return sections;
}

function render(sections: Map<string, string>): string {
  const head = [
    "# Benchmarks",
    "",
    "Generated by `npm run bench` (bench/run.ts); do not edit by hand. Each section compares against an anchor",
    "measured in the same run, so the ratios matter more than the absolute numbers. Each job runs in its own",
    "child process; wall time includes process start-up, peak RSS is that process's maximum resident set.",
    "Each section notes the 1-minute load average before and after it: above the core count the machine was",
    "busy and wall times are inflated; CPU time and peak RSS are much less affected. It also notes what writing",
    "fresh memory cost (page faults): on virtual machines that varies from host to host and day to day, and it",
    "weighs on whichever job allocates more (the system CPU and page-fault columns show where it landed).",
    "",
    `- Machine: ${machineLine()}`,
    `- Date: ${new Date().toISOString().slice(0, 10)} (sections rerun alone keep their own run's numbers)`,
    "",
  ].join("\n");
  const body = [...sections.keys()]
    .sort()
    .map((name) => `${BEGIN(name)}\n${sections.get(name)!.trimEnd()}\n${END(name)}`)
    .join("\n\n");
  return `${head}\n${body}\n`;
}

process.exitCode = await main(process.argv.slice(2));
