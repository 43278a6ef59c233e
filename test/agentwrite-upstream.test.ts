/**
 * `agentwrite --prompts upstream` sends exactly LongWriter's requests: the plan request is plan.txt with
 * `$INST$` replaced; each write request is write.txt with `$INST$`, `$PLAN$`, `$TEXT$`, `$STEP$` replaced
 * in that order (plan = reply stripped, "\n\n" → "\n"; text = earlier raw responses each + "\n\n", then
 * stripped; step = the line stripped), one user message, temperature 1.0, max_tokens 4096. Every request
 * the test server receives is byte-compared with requests built here from the rules (and, where python3
 * exists, by Python's own str.strip/str.replace). A run killed with SIGKILL resumes to the same output.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadUpstreamAgentWritePrompts } from "../src/agentwrite/upstream-prompts.js";
import { runAgentWrite } from "../src/agentwrite/run-agentwrite.js";
import { upstreamAnswer } from "../src/agentwrite/write-upstream.js";
import { stableHash } from "../src/text/record-id.js";
import { startOpenAiServer, type ChatBody, type OpenAiServer } from "./helpers/openai-server.js";
import { startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const UPSTREAM = new URL("../../shared/data/longwriter-upstream", import.meta.url).pathname;
const PLAN_TXT = readFileSync(join(UPSTREAM, "plan.txt"), "utf8");
const WRITE_TXT = readFileSync(join(UPSTREAM, "write.txt"), "utf8");
const dir = makeTmpDir("lw-aw-upstream-");

/** Instructions with traps: `$`-patterns, a placeholder inside the instruction, CJK, a runaway plan. */
const INSTRUCTIONS = [
  "Write a 3000-word essay on the history of lighthouses.",
  "写一篇5000字的关于长城的散文。",
  "Write a guide that costs $5 and mentions $& and $1 literally; cover the $PLAN$ of a city park.",
  "Write a 2000-word story about a clockmaker. [runaway]",
  "Write a report on tidal energy.",
];

/** Plan replies: leading/trailing whitespace, blank lines, "\n\n\n\n" (→ an empty step), 51 lines. */
function planReply(instruction: string): string {
  if (instruction.includes("[runaway]")) {
    return Array.from({ length: 51 }, (_, i) => `Paragraph ${i + 1} - Main Point: part ${i + 1} - Word Count: 200 words`).join("\n");
  }
  const n = 2 + (parseInt(stableHash(instruction).slice(0, 2), 16) % 3);
  const lines = Array.from({ length: n }, (_, i) => `Paragraph ${i + 1} - Main Point: ${stableHash(`${instruction}#${i}`).slice(0, 10)} point - Word Count: ${300 + 100 * i} words  `);
  const sep = instruction.includes("tidal") ? "\n\n\n\n" : "\n\n";
  return `\n  ${lines.join(sep)}\n\n `;
}

/** A write reply that is a pure function of the request, with a label, `$&` and odd whitespace. */
function writeReply(content: string): string {
  const h = stableHash(content);
  const step = /now continue writing (.*)\. If needed/s.exec(content)?.[1] ?? "";
  const n = /^Paragraph (\d+)/.exec(step)?.[1] ?? "X";
  const tail = parseInt(h.slice(0, 2), 16) % 2 === 0 ? "\x1f\n" : "  \n";
  return ` Paragraph ${n}: ${h.slice(0, 6)}\n\nBody ${h.slice(6, 16)} with $& and \\n kept.${tail}`;
}

let server: OpenAiServer;
const replies = new Map<string, string>();
let killAt: number | undefined;
let victim: ChildProcess | undefined;
let runRequests = 0;
beforeAll(async () => {
  server = await startOpenAiServer({
    latencyMs: 5,
    respond: (body: ChatBody) => {
      runRequests += 1;
      if (killAt !== undefined && runRequests === killAt && victim) victim.kill("SIGKILL");
      const content = body.messages[0]!.content;
      const inst = /The writing instruction is as follows:\n\n([\s\S]*)\n\nPlease break it down/.exec(content)?.[1];
      const reply = content.startsWith(PLAN_TXT.slice(0, 60)) ? planReply(inst ?? "") : writeReply(content);
      replies.set(content, reply);
      return reply;
    },
  });
});
afterAll(() => server.close());

/** Python's str.strip() whitespace, written out independently of the implementation. */
const pyStrip = (s: string): string => s.replace(/^(?:[^\S\ufeff]|[\x1c-\x1f\x85])+/, "").replace(/(?:[^\S\ufeff]|[\x1c-\x1f\x85])+$/, "");
const replaceAll = (s: string, a: string, b: string): string => s.split(a).join(b);

/** The requests upstream's plan.py and write.py send for `instruction`, given the replies the model gave. */
function expectedRequests(instruction: string): string[] {
  const planRequest = replaceAll(PLAN_TXT, "$INST$", instruction);
  const out = [planRequest];
  const reply = replies.get(planRequest);
  if (reply === undefined) return out;
  const plan = replaceAll(pyStrip(reply), "\n\n", "\n");
  const steps = plan.split("\n");
  if (steps.length > 50) return out;
  let text = "";
  for (const step of steps) {
    let request = replaceAll(WRITE_TXT, "$INST$", instruction);
    request = replaceAll(request, "$PLAN$", plan);
    request = replaceAll(request, "$TEXT$", pyStrip(text));
    request = replaceAll(request, "$STEP$", pyStrip(step));
    out.push(request);
    const response = replies.get(request);
    if (response === undefined) break;
    text += `${response}\n\n`;
  }
  return out;
}

/** The same requests built by Python itself (str.strip, str.replace), or null without python3. */
function pythonRequests(): string[][] | null {
  const probe = spawnSync("python3", ["--version"]);
  if (probe.status !== 0) return null;
  const script = `
import json, sys
d = json.load(sys.stdin)
plan_t, write_t, replies = d["plan"], d["write"], d["replies"]
out = []
for inst in d["instructions"]:
    reqs = [plan_t.replace("$INST$", inst)]
    plan = replies[reqs[0]].strip().replace("\\n\\n", "\\n")
    steps = plan.split("\\n")
    if len(steps) <= 50:
        text = ""
        for step in steps:
            r = write_t.replace("$INST$", inst).replace("$PLAN$", plan).replace("$TEXT$", text.strip()).replace("$STEP$", step.strip())
            reqs.append(r)
            text += replies[r] + "\\n\\n"
    out.append(reqs)
json.dump(out, sys.stdout)
`;
  const run = spawnSync("python3", ["-c", script], {
    input: JSON.stringify({ plan: PLAN_TXT, write: WRITE_TXT, replies: Object.fromEntries(replies), instructions: INSTRUCTIONS }),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[][];
}

const env = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, LONGWRITER_UPSTREAM_DIR: UPSTREAM };
const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

describe("agentwrite --prompts upstream", () => {
  const input = join(dir, "instructions.jsonl");
  writeFileSync(input, INSTRUCTIONS.map((prompt) => JSON.stringify({ prompt })).join("\n") + "\n");

  it("is the default and sends upstream's plan and write requests byte for byte", { timeout: 60_000 }, async () => {
    const out = join(dir, "sft.jsonl");
    const first = server.requestCount();
    const run = await startCli(
      ["agentwrite", input, "--out", out, "--model", "gpt-4o-2024-05-13", "--base-url", server.baseURL, "--concurrency", "2", "--json", "--upstream-dir", UPSTREAM],
      { env: { ...env, LONGWRITER_UPSTREAM_DIR: undefined } },
    ).done;
    expect([0, 1], run.stderr).toContain(run.code); // one instruction failed (its plan has 51 lines)
    const summary = JSON.parse(run.stdout) as { prompts: string; done: number; failed: number };
    expect(summary).toMatchObject({ prompts: "upstream", done: 4, failed: 1 });

    const sent = server.requests.slice(first);
    for (const request of sent) {
      const { stream: _s, stream_options: _o, ...body } = request.body;
      expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model", "temperature"]);
      expect(body).toMatchObject({ model: "gpt-4o-2024-05-13", temperature: 1, max_tokens: 4096 });
      expect(body.messages).toHaveLength(1);
      expect(body.messages[0]!.role).toBe("user");
    }
    const received = sent.map((r) => r.body.messages[0]!.content).sort();
    const expected = INSTRUCTIONS.flatMap(expectedRequests);
    expect(received).toEqual([...expected].sort());
    // The traps did what upstream does: an empty step, a filled placeholder inside the instruction.
    expect(expected.some((r) => r.includes("now continue writing . If needed"))).toBe(true);
    expect(expected.filter((r) => r.includes("cover the Paragraph 1 - Main Point:")).length).toBeGreaterThan(0);
    // A response ending in U+001F keeps it inside $TEXT$ but loses it at the end (Python's strip).
    expect(expected.some((r) => r.includes("\x1f\n\n\n Paragraph"))).toBe(true);
    expect(expected.some((r) => r.includes("\x1f\n\nPlease integrate"))).toBe(false);

    const python = pythonRequests();
    if (python) expect(python.flat().sort()).toEqual([...expected].sort());

    // Output: records in input order, sections cleaned of labels; the runaway plan is a listed failure.
    const records = lines(out);
    expect(records.map((r) => r.messages[0].content)).toEqual(INSTRUCTIONS.filter((i) => !i.includes("[runaway]")));
    for (const record of records) {
      const meta = record.meta.agentwrite;
      expect(meta).toMatchObject({ prompts: "upstream", cleanup: "strip-labels" });
      const responses = meta.plan.steps.map((_: string, i: number) => expectedRequests(record.messages[0].content)[i + 1]).map((req: string) => replies.get(req)!);
      expect(record.messages[1].content).toBe(upstreamAnswer(responses, "strip-labels"));
      expect(record.messages[1].content).not.toMatch(/^Paragraph \d+:/m);
    }
    const failures = lines(`${out}.failures.jsonl`);
    expect(failures).toEqual([
      expect.objectContaining({ stage: "plan", kind: "plan_invalid", reason: expect.stringMatching(/51 lines, more than 50/) }),
    ]);
  });

  it("keeps the raw concatenation with cleanup off, and needs --prompts toolkit for own templates", { timeout: 30_000 }, async () => {
    const prompts = await loadUpstreamAgentWritePrompts({ localDir: UPSTREAM });
    const summary = await runAgentWrite({
      input,
      out: join(dir, "raw.jsonl"),
      llm: { baseURL: server.baseURL, model: "gpt-4o-2024-05-13", env: {} },
      prompts,
      cleanup: "none",
      settings: { temperature: 1, maxTokens: 4096 },
    });
    expect(summary).toMatchObject({ prompts: "upstream", done: 4 });
    const record = lines(join(dir, "raw.jsonl"))[0]!;
    const reqs = expectedRequests(INSTRUCTIONS[0]!).slice(1);
    const raw = reqs.map((r) => `${replies.get(r)!}\n\n`).join("");
    expect(record.messages[1].content).toBe(pyStrip(raw));
    expect(record.messages[1].content).toMatch(/^Paragraph 1: /);

    const bad = await startCli(["agentwrite", input, "--out", join(dir, "x.jsonl"), "--model", "m", "--plan-prompt", "p.md"], { env }).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--prompts toolkit");
  });

  it("resumes after kill -9 to the uninterrupted output, repeating only in-flight requests", { timeout: 120_000 }, async () => {
    const args = (out: string) => ["agentwrite", input, "--out", out, "--model", "m", "--base-url", server.baseURL, "--concurrency", "2", "--json"];
    const reference = join(dir, "reference.jsonl");
    runRequests = 0;
    const clean = await startCli(args(reference), { env }).done;
    expect([0, 1], clean.stderr).toContain(clean.code);
    const total = runRequests;

    const out = join(dir, "resumed.jsonl");
    const firstIndex = server.requestCount();
    for (const at of [2, 5, 3]) {
      runRequests = 0;
      killAt = at;
      const run = startCli(args(out), { env });
      victim = run.child;
      const result = await run.done;
      expect(result.signal).toBe("SIGKILL");
      expect(existsSync(out)).toBe(false);
    }
    killAt = undefined;
    victim = undefined;
    const last = await startCli(args(out), { env }).done;
    expect(last.code).toBe(clean.code);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(reference, "utf8"));
    expect(readFileSync(`${out}.failures.jsonl`, "utf8")).toBe(readFileSync(`${reference}.failures.jsonl`, "utf8"));
    const distinct = new Set(server.requests.slice(firstIndex).map((r) => r.key));
    expect(distinct.size).toBe(total);
    expect(server.requests.length - firstIndex).toBeLessThanOrEqual(total + 3 * 3);
    expect((JSON.parse(last.stdout) as { llm: { replayed: number } }).llm.replayed).toBeGreaterThan(0);
  });
});
