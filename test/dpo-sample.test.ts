/**
 * sampleCandidates through the real openai SDK against the loopback server: k distinct requests per
 * prompt, failures reported (never written as candidates), a 401 stops the run, prompt reading rules.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleCandidates, type SampledPrompt } from "../src/dpo/sample-candidates.js";
import { readSamplePrompts, type SamplePrompt } from "../src/dpo/sample-prompts.js";
import type { InputIssue } from "../src/io/input-issue.js";
import { createLlmClient } from "../src/llm/client.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("dpo-sample-");
let server: OpenAiServer;

beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (body) => {
      const content = body.messages[0]!.content;
      const seed = Number(body.seed);
      if (content.includes("cut me") && seed === 1) return { fault: "length", text: "partial" };
      if (content.includes("forbidden")) return { fault: "status", status: 401, body: '{"error":{"message":"bad key"}}' };
      return `reply ${seed} ` + "word ".repeat(10 * (seed + 1));
    },
  });
});
afterAll(() => server.close());

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const prompt = (promptId: string, text: string, requiredLength: number | null = 50): SamplePrompt => ({
  promptId,
  prompt: text,
  requiredLength,
  file: "x",
  line: 1,
});

describe("sampleCandidates", () => {
  it("sends k distinct seeded requests per prompt and scores length", async () => {
    const client = createLlmClient({ baseURL: server.baseURL, model: "w", maxRetries: 0 });
    const mark = server.requestCount();
    const out: SampledPrompt[] = await drain(
      sampleCandidates({
        client,
        model: "w",
        n: 3,
        seed: 10,
        temperature: 0.7,
        topP: 0.9,
        maxTokens: 500,
        prompts: [prompt("a", "Write about A"), prompt("b", "Write about B", null)],
      }),
    );
    expect(server.requestCount() - mark).toBe(6);
    const bodies = server.requests.slice(mark).map((r) => r.body);
    expect(new Set(bodies.map((b) => `${b.messages[0]!.content}#${b.seed}`)).size).toBe(6);
    expect(bodies[0]).toMatchObject({ model: "w", temperature: 0.7, top_p: 0.9, max_tokens: 500 });
    expect(out.map((p) => p.prompt.promptId)).toEqual(["a", "b"]);
    const [a0, a1] = out[0]!.candidates;
    expect(a0).toMatchObject({ promptId: "a", sample: 0, model: "w", requiredLength: 50, meta: { seed: 10 } });
    expect(a0!.lengthWords).toBe(111); // "reply" + 110 × "word"
    expect(a0!.lengthScore).toBeCloseTo(100 * (1 - (111 / 50 - 1) / 3), 10);
    expect(a1!.sample).toBe(1);
    expect(out[1]!.candidates[0]!.lengthScore).toBeNull();
    await client.close();
  });

  it("reports a failed sample instead of writing it; stops on 401", async () => {
    const client = createLlmClient({ baseURL: server.baseURL, model: "w", maxRetries: 0 });
    const [cut] = await drain(sampleCandidates({ client, model: "w", n: 3, prompts: [prompt("c", "cut me")] }));
    expect(cut!.candidates.map((c) => c.sample)).toEqual([0, 2]);
    expect(cut!.failures).toEqual([expect.objectContaining({ promptId: "c", sample: 1, kind: "length" })]);
    await expect(drain(sampleCandidates({ client, model: "w", n: 2, prompts: [prompt("f", "forbidden")] }))).rejects.toThrow(/401/);
    await client.close();
  });
});

describe("readSamplePrompts", () => {
  it("reads plain prompts, Instruction records and LongBench-Write rows", async () => {
    const file = join(dir, "prompts.jsonl");
    writeFileSync(
      file,
      [
        { prompt: "Write a 500-word essay about rain." },
        { id: "i1", prompt: "Write about snow.", requiredLength: 800, language: "en" },
        { prompt: "写一篇关于春天的文章", type: "essay", length: 2000 },
        { id: 7, prompt: "No length here, required_length null", required_length: null },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const rows = await drain(readSamplePrompts(file));
    expect(rows.map((r) => [r.requiredLength, r.line])).toEqual([
      [500, 1],
      [800, 2],
      [2000, 3],
      [null, 4],
    ]);
    expect(rows[1]!.promptId).toBe("i1");
    expect(rows[3]!.promptId).toBe("7");
    expect(rows[0]!.promptId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("names file, line and field of bad rows; skips them on request", async () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, ['{"prompt": "ok"}', '{"text": "no prompt"}', '{"prompt": "x", "length": -3}', '{"prompt": "ok"}'].join("\n"));
    await expect(drain(readSamplePrompts(file))).rejects.toThrow(/bad\.jsonl:2: field prompt: missing field "prompt"/);
    const issues: InputIssue[] = [];
    const rows = await drain(readSamplePrompts(file, { skipInvalid: true, issues }));
    expect(rows).toHaveLength(1);
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [2, "prompt"],
      [3, "length"],
      [4, "id"],
    ]); // line 4 repeats line 1's prompt → same id
  });
});
