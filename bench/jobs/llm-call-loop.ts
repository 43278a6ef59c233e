/**
 * @module bench/jobs/llm-call-loop — the orchestration bench's per-call CPU anchors: `calls` streamed chat
 * calls, `concurrency` at a time, against the test server at `baseURL`, each with a fresh ~3.4 KB prompt
 * (the average AgentWrite prompt of that bench), through one of:
 * - `node-http`: a bare node:http POST reading the whole SSE body (HTTP alone, no SDK: the floor);
 * - `sdk-fetch`: the openai SDK as a user would write it (Node's global fetch), iterating the stream;
 * - `sdk-node-http`: the same SDK loop over the client's transport (llm/node-http-fetch);
 * - `client`: the toolkit's client (createLlmClient with a journal), what AgentWrite calls.
 * Prints calls and the CPU spent in the measured calls (after a warm-up of `calls / 5`).
 * Usage: llm-call-loop.ts <baseURL> <mode> <calls> <concurrency> <workDir>
 */
import { request as httpRequest, Agent } from "node:http";
import { join } from "node:path";
import OpenAI from "openai";
import { createLlmClient } from "../../src/llm/client.js";
import { nodeHttpFetch } from "../../src/llm/node-http-fetch.js";

const [baseURL, mode, callsArg, concurrencyArg, dir] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);
const FILLER = "The bridge carried more than traffic; it carried the habits of a town that had learned to cross water twice a day. ";
const PROMPT = FILLER.repeat(30); // 3.4 KB
let sequence = 0;
const prompt = (): string => `${PROMPT}(call ${(sequence += 1)})`;

type Call = () => Promise<string>;
const streamBody = (content: string) => ({ model: "bench-model", messages: [{ role: "user" as const, content }] });

function nodeHttpCall(): Call {
  const url = new URL(`${baseURL}/chat/completions`);
  const agent = new Agent({ keepAlive: true });
  return () =>
    new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ ...streamBody(prompt()), stream: true, stream_options: { include_usage: true } });
      const request = httpRequest(
        {
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: "Bearer no-key" },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => resolve(text));
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(body);
    });
}

function sdkCall(sdk: OpenAI): Call {
  return async () => {
    const stream = await sdk.chat.completions.create({ ...streamBody(prompt()), stream: true, stream_options: { include_usage: true } });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    return text;
  };
}

function clientCall(): Call {
  const client = createLlmClient({
    baseURL,
    model: "bench-model",
    env: {},
    concurrency,
    timeoutMs: 30_000,
    journalPath: join(dir!, `loop-journal-${process.pid}-${Date.now()}.jsonl`),
  });
  return async () => (await client.chat({ messages: [{ role: "user", content: prompt() }] })).text;
}

const call: Call =
  mode === "node-http"
    ? nodeHttpCall()
    : mode === "sdk-fetch"
      ? sdkCall(new OpenAI({ apiKey: "no-key", baseURL, maxRetries: 2, logLevel: "off" }))
      : mode === "sdk-node-http"
        ? sdkCall(new OpenAI({ apiKey: "no-key", baseURL, maxRetries: 2, logLevel: "off", fetch: nodeHttpFetch({ maxResponseBytes: 64 * 1024 * 1024 }) }))
        : mode === "client"
          ? clientCall()
          : (() => {
              throw new Error(`llm-call-loop: unknown mode ${mode}`);
            })();

async function run(count: number): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started += 1;
        const text = await call();
        if (text.length === 0) throw new Error(`llm-call-loop ${mode}: empty answer`);
      }
    }),
  );
}

await run(Math.max(concurrency, Math.round(calls / 5)));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await run(calls);
const runMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ mode, calls, runMs, runCpuMs: (cpu.user + cpu.system) / 1000, runSystemMs: cpu.system / 1000 }));
