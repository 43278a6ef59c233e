/**
 * @module eval/run-benchmark — one evaluation run, shared by LongBench-Write and LongWrite-Ruler:
 * generate a response per prompt (or read a predictions file), count its length, score S_l, optionally
 * judge it, and aggregate. Calls go through the shared LLM client, whose journal makes a re-run resume.
 */
import { basename } from "node:path";
import { defaultJudgeTemplate, judgeResponse, type JudgeChatClient } from "../judge/judge-response.js";
import { isUpstreamJudgeTemplate, type JudgeTemplate } from "../judge/judge-template.js";
import { judgeUpstream, type UpstreamVerdict } from "../judge/judge-upstream.js";
import type { UpstreamScores } from "../judge/upstream-judge-reply.js";
import type { Judgement } from "../schemas/judgement.js";
import { countWords } from "../text/count-words.js";
import { lengthScore } from "../text/length-score.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { BenchItem } from "./bench-item.js";
import { type CallUsage, EVAL_RUN_FORMAT, type EvalFailure, type EvalRun, type JudgeSetup } from "./eval-run.js";
import type { BenchSource, BenchmarkName, LanguageFilter } from "./load-bench.js";
import { loadPredictions, predictionRow, type Prediction } from "./predictions.js";
import { aggregateScores, type ScoredItem } from "./score/aggregate.js";
import { summarizeRuler } from "./score/ruler-summary.js";
import { createLimiter } from "../util/limiter.js";
import { OptionError } from "../errors.js";
import { runDate } from "../util/run-date.js";

/** The part of the shared LLM client (src/llm `LlmClient`) a run needs. */
export interface EvalChatClient {
  chat(
    request: {
      messages: { role: "system" | "user" | "assistant"; content: string }[];
      model?: string | undefined;
      temperature?: number | undefined;
      maxTokens?: number | undefined;
      tag?: string | undefined;
    },
    options?: { signal?: AbortSignal },
  ): Promise<{ text: string; model: string; replayed?: boolean; finishReason?: string }>;
  readonly model: string;
  totals?(): CallUsage;
}

/** Progress of a run, for a progress bar or plain log lines. */
export type EvalProgress =
  | { stage: "generate" | "judge"; event: "start"; total: number }
  | { stage: "generate" | "judge"; event: "item"; done: number; total: number; failed: number; replayed: number; id: string }
  | { stage: "generate" | "judge"; event: "end"; done: number; failed: number };

export interface RunBenchmarkOptions {
  benchmark: BenchmarkName;
  items: readonly BenchItem[];
  bench: BenchSource;
  /** Recorded in the run. @default "all" */
  lang?: LanguageFilter | undefined;
  /** Generate responses with this client. Exactly one of `generator` and `predictionsFile` is needed. */
  generator?:
    | {
        client: EvalChatClient;
        /** @default 0.5 (LongBench-Write's setting) */
        temperature?: number | undefined;
        /**
         * max_tokens sent with each request; unset sends none (the server's maximum). A response cut off
         * there is scored as it is, like upstream does — create the client with `acceptLengthLimit: true`
         * (otherwise such an item fails with LengthLimitError); `run.truncated` counts them.
         */
        maxTokens?: number | undefined;
      }
    | undefined;
  /** Score the responses in this file (upstream pred.jsonl shape) instead of generating. */
  predictionsFile?: string | undefined;
  /** Judge each response for S_q; without it the run reports S_l only. */
  judge?:
    | {
        client: JudgeChatClient & { totals?(): { replayed: number } };
        model: string;
        /** Upstream's judge.txt (`loadUpstreamJudgeTemplate`) for the benchmark's numbers; ours when omitted. */
        template?: JudgeTemplate | undefined;
        /**
         * "upstream" (default): LongBench-Write's reply rules — fence regex, newline removal, JSON, the six
         * names, 1 or 2 tries per refused reply, float() values. "tolerant": our parser (whole numbers 1–5).
         */
        parse?: "upstream" | "tolerant" | undefined;
        /** Tries (upstream) or calls (tolerant) per item before its verdict counts as unparseable. @default 5 (as upstream) */
        maxAttempts?: number | undefined;
        /** @default 0.5 */
        temperature?: number | undefined;
        /** @default 1024 */
        maxTokens?: number | undefined;
        /** Judge calls in flight at once (the client's limiter also applies). @default 8 */
        concurrency?: number | undefined;
      }
    | undefined;
  /** Report label. @default the model, or the predictions file name */
  label?: string | undefined;
  onProgress?: ((event: EvalProgress) => void) | undefined;
  /** Warnings (e.g. unmatched prediction rows), one line each. */
  onWarning?: ((message: string) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Clock seam for tests. */
  now?: (() => Date) | undefined;
}

export interface BenchmarkRunOutput {
  run: EvalRun;
  /** predictions.jsonl rows, in bench order. */
  predictions: Record<string, unknown>[];
  /** judgements.jsonl rows, in bench order: our Judgement (tolerant) or an UpstreamVerdict (upstream rules). */
  judgements: { id: string; judgement: Judgement | UpstreamVerdict }[];
}

function failureOf(error: unknown, id: string, stage: EvalFailure["stage"]): EvalFailure {
  const kind = typeof (error as { kind?: unknown })?.kind === "string" ? (error as { kind: string }).kind : "error";
  const message = error instanceof Error ? error.message : String(error);
  return { id, stage, kind, message };
}

/** Runs `task` over `inputs` with at most `concurrency` in flight, reporting each settled task. */
async function forEachSettled<T>(inputs: readonly T[], concurrency: number, task: (input: T) => Promise<void>): Promise<void> {
  const limiter = createLimiter({ concurrency });
  await Promise.all(inputs.map((input) => limiter.run(() => task(input))));
}

/**
 * Runs a benchmark end to end and returns the run record plus the rows to write. Items whose generation
 * or judge call fails are listed in `run.failures` (the run is then `complete: false`) and left out of
 * the scores; a re-run with the same journal retries just those.
 *
 * @example
 * const { run } = await runBenchmark({ benchmark: "longbench-write", items, bench, generator: { client } });
 */
export async function runBenchmark(options: RunBenchmarkOptions): Promise<BenchmarkRunOutput> {
  const { benchmark, items, bench, lang = "all", generator, predictionsFile, judge, onProgress, signal } = options;
  if (!generator === !predictionsFile) throw new OptionError("runBenchmark: pass exactly one of generator and predictionsFile", { field: "generator" });
  const failures: EvalFailure[] = [];
  const responses = new Map<
    string,
    { item: BenchItem; response: string; model: string | null; finishReason?: string; scores?: Prediction["scores"]; responseLength?: number }
  >();
  let model: string | null = null;

  if (predictionsFile) {
    const loaded = await loadPredictions({ file: predictionsFile, items });
    if (loaded.unmatched > 0) options.onWarning?.(`${loaded.unmatched} prediction row(s) match no bench prompt; scored with their own type and length`);
    if (loaded.missing.length > 0) options.onWarning?.(`${loaded.missing.length} bench prompt(s) have no prediction; they are left out of the scores`);
    for (const missing of loaded.missing) {
      failures.push({ id: missing.id, stage: "generate", kind: "missing", message: "no prediction for this prompt" });
    }
    if (loaded.summaryLines > 0) options.onWarning?.(`skipped ${loaded.summaryLines} summary line(s) of upstream's judge.jsonl (the row with "total")`);
    if (loaded.lengthMismatches.count > 0) {
      options.onWarning?.(
        `${loaded.lengthMismatches.count} row(s) have a response_length that differs from countWords(response) (first: ${loaded.lengthMismatches.first}); ` +
          `response_length is used, as upstream does`,
      );
    }
    if (loaded.unusableScores.count > 0) {
      options.onWarning?.(
        `${loaded.unusableScores.count} row(s) carry scores that cannot be used (first: ${loaded.unusableScores.first}: ${loaded.unusableScores.reason}); ` +
          (judge ? "they are judged again" : "they count as not judged"),
      );
    }
    for (const p of loaded.predictions) {
      responses.set(p.item.id, {
        item: p.item,
        response: p.response,
        model: p.model ?? null,
        ...(p.scores ? { scores: p.scores } : {}),
        ...(p.responseLength === undefined ? {} : { responseLength: p.responseLength }),
      });
      model ??= p.model ?? null;
    }
  } else {
    const { client, temperature = 0.5, maxTokens } = generator!;
    model = client.model;
    onProgress?.({ stage: "generate", event: "start", total: items.length });
    let done = 0;
    let failed = 0;
    let replayed = 0;
    const settled = new Map<string, { text: string; model: string; finishReason?: string }>();
    // The client's limiter bounds HTTP concurrency; we hand it everything at once.
    await Promise.all(
      items.map(async (item) => {
        try {
          const result = await client.chat(
            {
              messages: [{ role: "user", content: item.prompt }],
              temperature,
              maxTokens,
              tag: `${benchmark}:${item.id}`,
            },
            signal ? { signal } : undefined,
          );
          settled.set(item.id, { text: result.text, model: result.model, ...(result.finishReason ? { finishReason: result.finishReason } : {}) });
          if (result.replayed) replayed += 1;
        } catch (error) {
          failed += 1;
          failures.push(failureOf(error, item.id, "generate"));
        }
        done += 1;
        onProgress?.({ stage: "generate", event: "item", done, total: items.length, failed, replayed, id: item.id });
      }),
    );
    onProgress?.({ stage: "generate", event: "end", done, failed });
    for (const item of items) {
      const got = settled.get(item.id);
      if (got) responses.set(item.id, { item, response: got.text, model: got.model, ...(got.finishReason ? { finishReason: got.finishReason } : {}) });
    }
  }

  // Order: bench order first, then unmatched prediction rows in file order.
  const ordered = [...responses.values()].sort((a, b) => a.item.index - b.item.index);
  // As upstream's eval_length.py: a row's response_length is the output length when it has one.
  const lengths = new Map(ordered.map((r) => [r.item.id, r.responseLength ?? countWords(r.response)]));

  const parse = judge?.parse ?? "upstream";
  if (judge && parse === "upstream" && !judge.template) {
    throw new OptionError("runBenchmark: the upstream judge rules need a template (loadUpstreamJudgeTemplate, or a file)", { field: "judge.template" });
  }
  const judgeTemplate = judge ? (judge.template ?? (await defaultJudgeTemplate())) : undefined;
  const judgements = new Map<string, Judgement | UpstreamVerdict>();
  const judgeFailures = new Map<string, string>();
  if (judge) {
    const toJudge = ordered.filter((r) => !r.scores);
    onProgress?.({ stage: "judge", event: "start", total: ordered.length });
    let done = ordered.length - toJudge.length;
    let failed = 0;
    // Judge calls answered from the journal, for the progress line (the judge client counts them).
    const replayedBefore = judge.client.totals?.().replayed ?? 0;
    const replayedSince = (): number => (judge.client.totals?.().replayed ?? replayedBefore) - replayedBefore;
    await forEachSettled(toJudge, judge.concurrency ?? 8, async (r) => {
      try {
        const common = {
          client: judge.client,
          prompt: r.item.prompt,
          response: r.response,
          judgeModel: judge.model,
          temperature: judge.temperature ?? 0.5,
          maxTokens: judge.maxTokens ?? 1024,
          signal,
        };
        const verdict =
          parse === "upstream"
            ? await judgeUpstream({ ...common, template: judgeTemplate!, maxTries: judge.maxAttempts ?? 5 })
            : await judgeResponse({ ...common, maxAttempts: judge.maxAttempts ?? 5, template: judgeTemplate! });
        judgements.set(r.item.id, verdict);
      } catch (error) {
        if (signal?.aborted) throw error;
        failed += 1;
        const failure = failureOf(error, r.item.id, "judge");
        failures.push(failure);
        judgeFailures.set(r.item.id, failure.message);
      }
      done += 1;
      onProgress?.({ stage: "judge", event: "item", done, total: ordered.length, failed, replayed: replayedSince(), id: r.item.id });
    });
    onProgress?.({ stage: "judge", event: "end", done, failed });
  }

  // Every prediction stays in S_l; an item whose judge call failed has no verdict and is listed.
  const scored: ScoredItem[] = [];
  for (const r of ordered) {
    const outputLength = lengths.get(r.item.id)!;
    const judgement = judgements.get(r.item.id);
    const judgeFailure = judgeFailures.get(r.item.id);
    let verdict: ScoredItem["judge"] = { status: "skipped" };
    if (r.scores) verdict = { status: "scored", scores: r.scores };
    else if (judgeFailure !== undefined) verdict = { status: "failed", reason: judgeFailure };
    else if (judgement?.scores) verdict = { status: "scored", scores: judgement.scores as UpstreamScores };
    else if (judgement) verdict = { status: "unparseable", reason: unparseableReason(judgement) };
    scored.push({
      id: r.item.id,
      prompt: r.item.prompt,
      type: r.item.type,
      language: r.item.language,
      bucket: r.item.bucket,
      requiredLength: r.item.requiredLength,
      outputLength,
      lengthScore: lengthScore(r.item.requiredLength, outputLength),
      judge: verdict,
    });
  }

  const usage: NonNullable<EvalRun["usage"]> = {};
  const generatorTotals = generator?.client.totals?.();
  if (generatorTotals) usage.generate = pickTotals(generatorTotals);
  const judgeTotals = (judge?.client as EvalChatClient | undefined)?.totals?.();
  if (judgeTotals && judge?.client !== generator?.client) usage.judge = pickTotals(judgeTotals);

  const usedJudge = Boolean(judge) || ordered.some((r) => r.scores);
  const run: EvalRun = {
    format: EVAL_RUN_FORMAT,
    benchmark,
    label: options.label ?? model ?? (predictionsFile ? basename(predictionsFile) : "run"),
    createdAt: (options.now?.() ?? runDate()).toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    model,
    judgeModel: judge?.model ?? null,
    settings: {
      source: predictionsFile ? "predictions" : "generated",
      ...(predictionsFile ? { predictionsFile } : {}),
      temperature: generator ? (generator.temperature ?? 0.5) : null,
      maxTokens: generator?.maxTokens ?? null,
      lang,
      judge: usedJudge,
      ...(judge ? { judgeSetup: judgeSetupOf(judge, parse, judgeTemplate!) } : {}),
    },
    bench,
    complete: failures.length === 0,
    failures,
    truncated: ordered.filter((r) => r.finishReason === "length").length,
    ...(Object.keys(usage).length > 0 ? { usage } : {}),
    summary: aggregateScores(scored),
    ...(benchmark === "ruler" ? { ruler: summarizeRuler(scored) } : {}),
    items: scored,
  };
  return {
    run,
    predictions: ordered.map((r) => ({
      ...predictionRow(r.item, r.response, lengths.get(r.item.id)!, r.model),
      ...(r.finishReason ? { finish_reason: r.finishReason } : {}),
    })),
    judgements: ordered.flatMap((r) => {
      const judgement = judgements.get(r.item.id);
      return judgement ? [{ id: r.item.id, judgement }] : [];
    }),
  };
}

function pickTotals(t: ReturnType<NonNullable<EvalChatClient["totals"]>>) {
  return {
    calls: t.calls,
    replayed: t.replayed,
    failed: t.failed,
    promptTokens: t.promptTokens,
    completionTokens: t.completionTokens,
    costUsd: t.costUsd,
    ...(t.cachedTokens === undefined ? {} : { cachedTokens: t.cachedTokens }),
    ...(t.batchCalls === undefined ? {} : { batchCalls: t.batchCalls }),
  };
}

function unparseableReason(verdict: Judgement | UpstreamVerdict): string {
  if ("tries" in verdict) return `no usable verdict after ${verdict.tries} tries (${verdict.calls} calls): ${verdict.refused.join("; ")}`;
  return verdict.error ?? "no scores";
}

function judgeSetupOf(judge: NonNullable<RunBenchmarkOptions["judge"]>, parse: "upstream" | "tolerant", template: JudgeTemplate): JudgeSetup {
  return {
    parse,
    maxTries: judge.maxAttempts ?? 5,
    temperature: judge.temperature ?? 0.5,
    maxTokens: judge.maxTokens ?? 1024,
    template: {
      sha256: template.hash,
      origin: template.origin ?? "file",
      matchesUpstream: isUpstreamJudgeTemplate(template),
      source: template.source,
      placeholders: template.placeholders ?? "toolkit",
    },
  };
}
