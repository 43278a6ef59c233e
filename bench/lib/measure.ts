/**
 * @module bench/lib/measure — runs one benchmark job in a fresh child process and reports wall time,
 * CPU time and peak RSS, so jobs do not share a heap (or a JIT warm-up) with the harness or each other.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPORTER = join(HERE, "usage-reporter.mjs");
/** The project root (bench/lib/../..): jobs run with this as their working directory. */
export const PROJECT_ROOT = resolve(HERE, "..", "..");

export interface Measurement {
  /** Wall-clock milliseconds from spawn to exit (includes process start-up). */
  wallMs: number;
  /** User + system CPU milliseconds of the measured process. */
  cpuMs: number;
  /** The system (kernel) part of `cpuMs`: syscalls and page faults. Undefined where not measured. */
  systemMs?: number;
  /** Minor page faults (first touches of fresh memory) of the measured process. Undefined where not measured. */
  minorFaults?: number;
  /** Peak resident set size in MB (MiB) of the measured process. */
  peakRssMb: number;
  /** Everything the job printed on stdout. */
  stdout: string;
  /** The last stdout line parsed as JSON, when it is JSON (jobs report their results this way). */
  result: unknown;
}

export interface MeasureOptions {
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Working directory. @default PROJECT_ROOT */
  cwd?: string;
}

/**
 * Runs a job and measures it: a TypeScript job under tsx (`node --import tsx <script> ...args`), a `.mjs` job
 * on plain node, as users run the built library (tsx's start-up and its hooks on every module loaded cost a
 * job ~0.2 s plus ~1 ms per module: uneven between a job loading the toolkit's ~250 modules and one loading a
 * single package). The child reports its own CPU time and peak RSS at exit through a preloaded module, so the
 * numbers are the job's alone.
 *
 * @example
 * const m = await measureNode({ script: "bench/jobs/count-words.ts", args: [file] });
 */
export async function measureNode(options: MeasureOptions & { script: string; args?: string[] }): Promise<Measurement> {
  const dir = await mkdtemp(join(tmpdir(), "lw-bench-"));
  const usageFile = join(dir, "usage.json");
  try {
    const cwd = options.cwd ?? PROJECT_ROOT;
    const script = resolve(cwd, options.script);
    const loader = script.endsWith(".mjs") ? [] : ["--import", "tsx"];
    const run = await runChild(process.execPath, [...loader, "--import", REPORTER, script, ...(options.args ?? [])], {
      cwd,
      env: { ...process.env, ...options.env, BENCH_USAGE_OUT: usageFile },
    });
    const usage = JSON.parse(await readFile(usageFile, "utf8")) as { cpuUserMs: number; cpuSystemMs: number; maxRssMb: number; minorFaults: number };
    return {
      wallMs: run.wallMs,
      cpuMs: usage.cpuUserMs + usage.cpuSystemMs,
      systemMs: usage.cpuSystemMs,
      minorFaults: usage.minorFaults,
      peakRssMb: usage.maxRssMb,
      stdout: run.stdout,
      result: lastJsonLine(run.stdout),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Python wrapper that runs a command and reports the CPU time and peak RSS of its children
// (RUSAGE_CHILDREN; ru_maxrss is in KB on Linux), on stderr as the last line, tagged.
const RUSAGE_WRAPPER = [
  "import json, resource, subprocess, sys",
  "rc = subprocess.run(sys.argv[1:]).returncode",
  "u = resource.getrusage(resource.RUSAGE_CHILDREN)",
  "sys.stderr.write('\\n@@usage ' + json.dumps({'cpuMs': (u.ru_utime + u.ru_stime) * 1000, 'maxRssMb': u.ru_maxrss / 1024}) + '\\n')",
  "sys.exit(rc)",
].join("\n");

let python: string | undefined;
/**
 * The Python interpreter itself (`sys.executable`), not a version manager's shim in front of it. A shim (pyenv's
 * is a shell script that runs several commands, then `exec`s Python) adds ~0.35 s of wall time to every run, and
 * the CPU of what it ran before `exec` stays in the interpreter's child rusage: measured here, `node -e 0` read
 * 455 ms of CPU and 0.58 s wall through pyenv's shim, 161 ms and 0.28 s through the interpreter it starts.
 */
export function pythonExecutable(): string {
  python ??= execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim() || "python3";
  return python;
}

/**
 * Runs any command (e.g. a Python anchor: pass `pythonExecutable()` as the command) and measures it, using a
 * small Python wrapper that reads the child's rusage. Needs `python3` on PATH. Wall time includes the
 * wrapper's start-up (~20 ms at best; its own interpreter, not a shim, see `pythonExecutable`).
 */
export async function measureCommand(options: MeasureOptions & { command: string; args?: string[] }): Promise<Measurement> {
  const run = await runChild(pythonExecutable(), ["-c", RUSAGE_WRAPPER, options.command, ...(options.args ?? [])], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
  });
  const tag = run.stderr.lastIndexOf("@@usage ");
  if (tag < 0) throw new Error(`measureCommand: no usage report from ${options.command}`);
  const usage = JSON.parse(run.stderr.slice(tag + 8).split("\n")[0]!) as { cpuMs: number; maxRssMb: number };
  return { wallMs: run.wallMs, cpuMs: usage.cpuMs, peakRssMb: usage.maxRssMb, stdout: run.stdout, result: lastJsonLine(run.stdout) };
}

interface ChildRun {
  wallMs: number;
  stdout: string;
  stderr: string;
}

function runChild(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        const tail = stderr
          .split("\n")
          .filter((l) => !l.startsWith("@@usage"))
          .slice(-15)
          .join("\n");
        reject(new Error(`${command} ${args.filter((a) => !a.includes("\n")).join(" ")} exited with ${signal ?? code}:\n${tail}`));
        return;
      }
      resolvePromise({ wallMs, stdout, stderr });
    });
  });
}

function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trim().split("\n");
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  try {
    return JSON.parse(last);
  } catch {
    return undefined;
  }
}
