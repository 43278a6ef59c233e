/**
 * Done-when of issue 10: `eval longbench-write --predictions` with the judge replying in 13 common shapes
 * gives upstream's numbers (eval_quality.py / eval_length.py) to 1e-9, and every judge request is
 * upstream's prompt byte for byte (judge.txt, `$INST$` then `$RESPONSE$`, one user message,
 * temperature 0.5, max_tokens 1024, gpt-4o-2024-05-13).
 *
 * The expected numbers are pinned. They were worked out from upstream's rules, shape by shape (the table
 * below), and agree with a python3 model of upstream's loop (run here too when python3 exists).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUpstreamJudgeReply, pythonFloat } from "../src/judge/upstream-judge-reply.js";
import { DIMS, reply, scoresFor, type Dim } from "./helpers/judge-reply-shapes.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const BENCH = "../shared/data/longbench-write/longbench_write.jsonl";
const UPSTREAM = "../shared/data/longwriter-upstream";
const JUDGE_TXT = readFileSync(join(UPSTREAM, "judge.txt"), "utf8");

interface Row {
  prompt: string;
  type: string;
  length: number;
}
const rows: Row[] = readFileSync(BENCH, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as Row);
const RATIOS = [1, 0.5, 2, 3, 0.25, 1.25, 4.5, 0.8];
/** Words of item i's response, and the response_length its row states (7 rows state a wrong one). */
const words = (i: number): number => Math.max(1, Math.floor(rows[i]!.length * RATIOS[i % 8]!));
const statedLength = (i: number): number => (i % 17 === 3 ? words(i) + 7 : words(i));
const responseOf = (i: number): string => `[[item ${i}]]${" w".repeat(words(i) - 1)}`;

/**
 * What upstream's loop makes of each shape (5 tries; a refused reply costs 1, or 2 when a dimension other
 * than the last is missing): accepted at call N with which scores, or dropped after N calls.
 */
const OUTCOME: Record<number, { accepted: boolean; calls: number }> = {
  0: { accepted: true, calls: 1 },
  1: { accepted: false, calls: 5 }, // json.loads fails on the prose: 1 try each
  2: { accepted: true, calls: 1 }, // 4.5 passes, float(4.5)
  3: { accepted: false, calls: 5 }, // "```json" present, no "\n```" after it: None.replace raises, 1 try
  4: { accepted: true, calls: 1 }, // the FIRST block is taken: all 3s
  5: { accepted: true, calls: 1 }, // float("4"), float(" 4")
  6: { accepted: false, calls: 3 }, // "Relevance" missing: 1 try + TypeError on the next name = 2; 2+2+2 ≥ 5
  7: { accepted: true, calls: 2 },
  9: { accepted: true, calls: 1 }, // no range check: 0, 6, 7 averaged as they are
  10: { accepted: false, calls: 5 },
  11: { accepted: false, calls: 3 }, // "Breadth and Depth" missing: 2 tries each
  12: { accepted: false, calls: 5 }, // "```json" is case-sensitive; the whole reply is not JSON
};
function outcome(i: number): { accepted: boolean; calls: number } {
  if (i % 13 !== 8) return OUTCOME[i % 13]!;
  // Only the last name missing costs 1 try: 1+1+1, then valid on call 4. Clarity missing: 2+2+2.
  return Math.floor(i / 13) % 2 === 0 ? { accepted: true, calls: 4 } : { accepted: false, calls: 3 };
}
function acceptedScores(i: number): Record<Dim, number> {
  const s = scoresFor(i);
  if (i % 13 === 2) return { ...s, Clarity: 4.5 };
  if (i % 13 === 4) return Object.fromEntries(DIMS.map((d) => [d, 3])) as Record<Dim, number>;
  if (i % 13 === 9) return { ...s, Relevance: 0, Accuracy: 6, Coherence: 7 };
  return s;
}

/** Pinned: upstream's numbers on these 120 predictions (from the table above; python3 agrees). */
const PINNED = {
  judged: 61,
  calls: 336,
  dims: {
    Relevance: 37.704918032786885,
    Accuracy: 61.47540983606557,
    Coherence: 64.75409836065575,
    Clarity: 56.14754098360656,
    "Breadth and Depth": 50.409836065573764,
    "Reading Experience": 48.770491803278695,
  } as Record<Dim, number>,
  S_q: 53.210382513661195,
  S_l: 53.63643086037395,
};

/** A python3 model of upstream's eval_quality.py loop and aggregation and eval_length.py's score. */
const PYTHON_MODEL =
  `
import json, re, sys
DIMS = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"]
d = json.load(sys.stdin)
def judge(replies):
    scores = None; trys = 0; calls = 0
    while scores is None and trys < 5:
        output = replies[calls]; calls += 1
        try:
            if '` +
  "```json" +
  `' in output:
                m = re.search(r'` +
  "```json" +
  String.raw`\n(.*?)\n` +
  "```" +
  String.raw`', output, re.DOTALL)
                output = m.group(1) if m else None
            output = output.replace('\n', '')
            scores = json.loads(output)
            for dim in DIMS:
                if dim not in scores:
                    scores = None
                    trys += 1
        except Exception:
            trys += 1
    return scores, calls
def score(x, y):
    if y > x: return 100 * max(0, 1. - (y / x - 1) / 3)
    return 100 * max(0, 1. - (x / y - 1) / 2)
judged = []; calls = 0
for item in d["items"]:
    s, c = judge(item["replies"]); calls += c
    if s is not None: judged.append(s)
total = {}
for dim in DIMS:
    vals = [float(s[dim]) if dim in s else 3 for s in judged]
    total[dim] = ((sum(vals) / len(vals)) - 1) * 25
total["total"] = sum(total.values()) / len(total)
sl = [score(item["length"], item["response_length"]) for item in d["items"]]
print(json.dumps({"dims": total, "judged": len(judged), "calls": calls, "S_l": sum(sl) / len(sl)}))
`;

let server: OpenAiServer;
const callsByItem = new Map<number, number>();
beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (body) => {
      const i = Number(/\[\[item (\d+)\]\]/.exec(body.messages[0]!.content)?.[1] ?? NaN);
      if (!Number.isInteger(i)) return { fault: "status", status: 400, body: "no item marker" };
      const call = callsByItem.get(i) ?? 0;
      callsByItem.set(i, call + 1);
      return reply(i, call);
    },
  });
});
afterAll(() => server.close());

describe("eval longbench-write judges as upstream by default", () => {
  const dir = makeTmpDir("lw-eval-upstream-");

  it("reads the 13 reply shapes as upstream does (unit)", () => {
    const costs = Array.from({ length: 13 }, (_, k) => {
      const parsed = parseUpstreamJudgeReply(reply(k === 8 ? 21 : k, 0)); // item 21: Clarity missing
      return parsed.ok ? 0 : parsed.cost;
    });
    expect(costs).toEqual([0, 1, 0, 1, 0, 0, 2, 1, 2, 0, 1, 2, 1]);
    expect(parseUpstreamJudgeReply(reply(8, 0))).toMatchObject({ ok: false, cost: 1 }); // only the last name missing
    expect(parseUpstreamJudgeReply(reply(4, 0))).toEqual({ ok: true, scores: Object.fromEntries(DIMS.map((d) => [d, 3])) });
    expect([pythonFloat(" 4\n"), pythonFloat("4.5"), pythonFloat(true), pythonFloat("1e1"), pythonFloat("high"), pythonFloat(null)]).toEqual([
      4,
      4.5,
      1,
      10,
      undefined,
      undefined,
    ]);
  });

  it("gives upstream's S_q per dimension, judged count and S_l, sending upstream's prompt byte for byte", { timeout: 120_000 }, async () => {
    const predictions = join(dir, "pred.jsonl");
    writeFileSync(predictions, rows.map((r, i) => JSON.stringify({ ...r, response: responseOf(i), response_length: statedLength(i) })).join("\n") + "\n");
    const out = join(dir, "run");
    const first = server.requestCount();
    const result = await runCli(
      [
        "eval",
        "longbench-write",
        "--predictions",
        predictions,
        "--bench-file",
        BENCH,
        "--judge-base-url",
        server.baseURL,
        "--upstream-dir",
        UPSTREAM,
        "--out",
        out,
        "--json",
      ],
      { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, LONGWRITER_UPSTREAM_DIR: undefined } },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { overall: { n: number; S_l: number; S_q: number; judged: number; unparseable: number } };

    // The pinned numbers follow from the outcome table (checked here), and the run reproduces them.
    const accepted = rows.map((_, i) => i).filter((i) => outcome(i).accepted);
    expect(accepted).toHaveLength(PINNED.judged);
    expect(rows.reduce((sum, _, i) => sum + outcome(i).calls, 0)).toBe(PINNED.calls);
    for (const d of DIMS) {
      expect((accepted.reduce((sum, i) => sum + acceptedScores(i)[d], 0) / accepted.length - 1) * 25).toBeCloseTo(PINNED.dims[d], 9);
    }
    expect(summary.overall).toMatchObject({ n: 120, judged: PINNED.judged, unparseable: 120 - PINNED.judged });
    expect(Math.abs(summary.overall.S_q - PINNED.S_q)).toBeLessThan(1e-9);
    expect(Math.abs(summary.overall.S_l - PINNED.S_l)).toBeLessThan(1e-9);
    const scores = JSON.parse(readFileSync(join(out, "scores.json"), "utf8"));
    for (const d of DIMS) expect(Math.abs(scores.summary.overall.dimensions[d] - PINNED.dims[d])).toBeLessThan(1e-9);

    // scores.json says how the judge ran.
    expect(scores.judgeModel).toBe("gpt-4o-2024-05-13");
    expect(scores.settings.judgeSetup).toMatchObject({
      parse: "upstream",
      maxTries: 5,
      temperature: 0.5,
      maxTokens: 1024,
      template: {
        origin: "upstream",
        matchesUpstream: true,
        placeholders: "upstream",
        sha256: "2c423ce88a0eb6a61482f427997a3c03c4bc11fe861102895dcac45926ae1d57",
      },
    });
    // response_length is what counts, as upstream; the disagreeing rows are reported.
    expect(result.stderr).toMatch(
      /7 row\(s\) have a response_length that differs from countWords\(response\) \(first: .*pred\.jsonl:4: field response_length\)/,
    );

    // Every judge request: upstream's prompt byte for byte, upstream's parameters, as many calls as upstream makes.
    const sent = server.requests.slice(first);
    expect(sent).toHaveLength(PINNED.calls);
    for (const request of sent) {
      const i = Number(/\[\[item (\d+)\]\]/.exec(request.body.messages[0]!.content)![1]);
      const expectedPrompt = JUDGE_TXT.split("$INST$").join(rows[i]!.prompt).split("$RESPONSE$").join(responseOf(i));
      const { stream: _s, stream_options: _o, seed, ...body } = request.body;
      expect(body).toEqual({ model: "gpt-4o-2024-05-13", messages: [{ role: "user", content: expectedPrompt }], temperature: 0.5, max_tokens: 1024 });
      expect(seed === undefined || typeof seed === "number").toBe(true);
    }
    for (const [i, n] of callsByItem) expect(n, `calls for item ${i}`).toBe(outcome(i).calls);

    // python3, where present: a model of upstream's own loop over the same replies agrees.
    if (spawnSync("python3", ["--version"]).status === 0) {
      const items = rows.map((r, i) => ({ length: r.length, response_length: statedLength(i), replies: [0, 1, 2, 3, 4].map((c) => reply(i, c)) }));
      const py = spawnSync("python3", ["-c", PYTHON_MODEL], { input: JSON.stringify({ items }), encoding: "utf8" });
      expect(py.status, py.stderr).toBe(0);
      const model = JSON.parse(py.stdout) as { dims: Record<string, number>; judged: number; calls: number; S_l: number };
      expect(model.judged).toBe(PINNED.judged);
      expect(model.calls).toBe(PINNED.calls);
      expect(Math.abs(model.dims.total! - PINNED.S_q)).toBeLessThan(1e-9);
      expect(Math.abs(model.S_l - PINNED.S_l)).toBeLessThan(1e-9);
      for (const d of DIMS) expect(Math.abs(model.dims[d]! - PINNED.dims[d])).toBeLessThan(1e-9);
    }
  });
});
