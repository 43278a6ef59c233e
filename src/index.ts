/**
 * longwriter-toolkit — the data side of LongWriter as a library. This file is the public API, a written
 * list: what a user needs to run each stage (the file-to-file `run*` functions and the streaming
 * functions under them), the records and their schemas, I/O, the LLM client, the Hub, evaluation and
 * the error family. Internals stay importable by path inside the repo but are not part of the package's
 * promise. Adding or removing a name here is an API change: update test/public-api.test.ts with it
 * (and docs/library.md when it is a new group).
 */

// Errors: one family; every error a user can cause names file, line and field
export { ToolkitError, InputError, ConfigError, OptionError, formatLocation } from "./errors.js";
export { HubError } from "./hub/hub-error.js";
export { LlmCallError, LengthLimitError, ContentFilterError, EmptyCompletionError, TruncatedStreamError } from "./llm/errors.js";
export { AgentWriteError } from "./agentwrite/errors.js";
export type { InputLocation, ToolkitErrorFields } from "./errors.js";

// Records and their schemas (zod; JSON Schema in schemas/)
export { messageSchema, toolCallSchema } from "./schemas/message.js";
export { sftRecordSchema } from "./schemas/sft-record.js";
export { instructionSchema } from "./schemas/instruction.js";
export { planSchema } from "./schemas/plan.js";
export { candidateSchema } from "./schemas/candidate.js";
export { judgementSchema, JUDGE_DIMENSIONS } from "./schemas/judgement.js";
export { preferencePairSchema } from "./schemas/preference-pair.js";
export { mixRecipeSchema } from "./schemas/mix-recipe.js";
export { pairPolicySchema } from "./schemas/pair-policy.js";
export { evalRunSchema } from "./eval/eval-run.js";
export type { Message, ToolCall } from "./schemas/message.js";
export type { SftRecord } from "./schemas/sft-record.js";
export type { Instruction } from "./schemas/instruction.js";
export type { Plan } from "./schemas/plan.js";
export type { Candidate } from "./schemas/candidate.js";
export type { Judgement } from "./schemas/judgement.js";
export type { PreferencePair } from "./schemas/preference-pair.js";
export type { MixRecipe } from "./schemas/mix-recipe.js";
export type { PairPolicy } from "./schemas/pair-policy.js";
export type { EvalRun } from "./eval/eval-run.js";

// Text metrics (LongBench-Write's counting and scoring)
export { countWords, countWordsUtf8 } from "./text/count-words.js";
export { countScripts, detectLanguage } from "./text/language.js";
export { lengthScore } from "./text/length-score.js";
export { extractRequiredLength, extractRequiredLengthDetailed } from "./text/required-length.js";
export { createTokenCounter } from "./tokenizers/tokens.js";
export { recordId } from "./text/record-id.js";

// I/O: streaming readers and writers, formats, Parquet, dataset dirs, stats
export { readJsonl, writeJsonl } from "./io/jsonl.js";
export { readRecords, readRawRecords } from "./io/read-records.js";
export { writeRecords, writeRawRecords } from "./io/write-records.js";
export { convertFile } from "./io/adapters/convert-file.js";
export { detectFormat, getAdapter } from "./io/adapters/detect-format.js";
export { FORMATS, SFT_FORMATS, PREFERENCE_FORMATS } from "./io/adapters/format.js";
export { readParquet, readParquetInfo } from "./io/parquet-read.js";
export { writeParquet, writeParquetShards } from "./io/parquet-write.js";
export { SFT_COLUMNS, SFT_TOOL_COLUMNS } from "./io/column-spec.js";
export { readDatasetDir, writeDatasetDir } from "./io/dataset-dir.js";
export { writeFileAtomic } from "./io/atomic-file.js";
export { computeDatasetStats } from "./stats/dataset-stats.js";
export { runStats } from "./stats/run-stats.js";
export { summarize } from "./stats/summarize.js";
export type { LocatedRecord } from "./io/jsonl.js";
export type { ReadRecordsOptions } from "./io/read-records.js";
export type { FormatName } from "./io/adapters/format.js";
export type { DatasetManifest } from "./io/dataset-dir.js";

// LLM client (any OpenAI-compatible endpoint; journal, concurrency, cost)
export { createLlmClient } from "./llm/client.js";
export { loadPrices } from "./llm/prices.js";
export type { LlmClient, LlmClientOptions, ChatRequest, ChatResult, LlmTotals } from "./llm/client.js";

// Filters: one contract (keep | reason) for filter, mix and your own code
export { applyFilters, combineFilters, filterDrop, newFilterCounts } from "./select/filter.js";
export {
  DROP_REASONS,
  sftPostFilter,
  hasAnswer,
  minWords,
  maxWords,
  minLengthScore,
  requiredLengthKnown,
  requiredLengthOf,
  rolesCheck,
  promptLanguage,
  noErrorText,
  noRefusal,
  maxPlanSteps,
  exactDuplicates,
} from "./select/sft-filters.js";
export type { Filter, FilterResult, FilterDrop, FilterCounts } from "./select/filter.js";
export type { DropReason, SftPostFilterOptions } from "./select/sft-filters.js";

// Stage: select (long-output instructions)
export { runSelect } from "./select/run-select.js";
export { selectByRules } from "./select/select-by-rules.js";
export type { SelectOptions, SelectSummary } from "./select/run-select.js";

// Stage: AgentWrite (plan, then write section by section)
export { runAgentWrite } from "./agentwrite/run-agentwrite.js";
export { agentWrite } from "./agentwrite/agent-write.js";
export { loadAgentWritePrompts } from "./agentwrite/prompts.js";
export { loadUpstreamAgentWritePrompts } from "./agentwrite/upstream-prompts.js";
export { readInstructions } from "./agentwrite/read-instructions.js";
export type { RunAgentWriteOptions, AgentWriteSummary } from "./agentwrite/run-agentwrite.js";
export type { AgentWriteOptions, AgentWriteEvent } from "./agentwrite/agent-write.js";
export type { AgentWriteFailure } from "./agentwrite/errors.js";

// Stage: filter (LongWriter's post-filters over an SFT file)
export { runFilter } from "./select/run-filter.js";
export type { FilterSummary } from "./select/run-filter.js";

// Stage: mix (recipes to a dataset dir)
export { mixDatasets } from "./mix/mix-datasets.js";
export { loadRecipe, validateRecipe } from "./mix/load-recipe.js";
export type { MixDatasetsOptions, MixResult, MixProgress } from "./mix/mix-datasets.js";
export type { MixManifest } from "./mix/mix-manifest.js";

// Stages: DPO (sample → judge → pairs → export)
export { runSample } from "./dpo/run-sample.js";
export { sampleCandidates } from "./dpo/sample-candidates.js";
export { readSamplePrompts } from "./dpo/sample-prompts.js";
export { runJudge } from "./judge/run-judge.js";
export { judgeCandidates } from "./judge/judge-candidates.js";
export { judgeResponse } from "./judge/judge-response.js";
export { parseJudgeReply, qualityFromScores } from "./judge/parse-judge-reply.js";
export { loadJudgeTemplate } from "./judge/judge-template.js";
export { openJudgeCache } from "./judge/judge-cache.js";
export { judgeAgreement } from "./judge/judge-agreement.js";
export { runPairs } from "./dpo/run-pairs.js";
export { buildPairs } from "./dpo/build-pairs.js";
export { pairsForPrompt } from "./dpo/pairs-for-prompt.js";
export { loadPairPolicy } from "./dpo/load-pair-policy.js";
export { auditPairs, auditRow } from "./dpo/audit-pairs.js";
export { writePairsDataset } from "./dpo/write-pairs-dataset.js";
export { readPairsDataset } from "./dpo/read-pairs-dataset.js";
export { looksLikeCandidates, readCandidates } from "./io/candidates-file.js";
export { pairsToCandidates } from "./dpo/pairs-to-candidates.js";
export { exportTrl, exportLlamaFactory, exportOpenAiDpo, openAiDpoToPair } from "./dpo/export-pairs.js";
export { runExport } from "./dpo/run-export.js";
export { exportLlamaFactorySft } from "./io/llama-factory-dataset.js";
export type { RunSampleOptions, SampleSummary } from "./dpo/run-sample.js";
export type { SampleCandidatesOptions, SampledPrompt, SampleFailure } from "./dpo/sample-candidates.js";
export type { SamplePrompt } from "./dpo/sample-prompts.js";
export type { RunJudgeOptions, JudgeSummary } from "./judge/run-judge.js";
export type { JudgeCandidatesOptions, JudgedCandidate } from "./judge/judge-candidates.js";
export type { JudgeTemplate } from "./judge/judge-template.js";
export type { JudgeCache } from "./judge/judge-cache.js";
export type { JudgeAgreement } from "./judge/judge-agreement.js";
export type { RunPairsOptions, PairsSummary } from "./dpo/run-pairs.js";
export type { BuildPairsSummary } from "./dpo/build-pairs.js";
export type { PairAudit } from "./dpo/audit-pairs.js";

// Hub: publish and pull datasets, dataset cards
export { publishDataset } from "./hub/publish-dataset.js";
export { pullDataset } from "./hub/pull-dataset.js";
export { renderDatasetCard } from "./hub/dataset-card.js";
export { mergeDatasetCard, parseDatasetCard } from "./hub/merge-dataset-card.js";
export { datasetConfigs } from "./io/dataset-dir.js";
export type { PublishDatasetOptions, PublishDatasetResult, PublishProgressEvent } from "./hub/publish-dataset.js";
export type { PullDatasetOptions, PullDatasetResult } from "./hub/pull-dataset.js";
export type { DatasetCardInfo } from "./hub/dataset-card.js";

// Eval: LongBench-Write and LongWrite-Ruler, reports
export { runLongBenchWrite } from "./eval/run-longbench-write.js";
export { runRuler } from "./eval/run-ruler.js";
export { runBenchmark } from "./eval/run-benchmark.js";
export { loadBench } from "./eval/load-bench.js";
export { resolveBenchFile } from "./eval/bench-files.js";
export { aggregateScores } from "./eval/score/aggregate.js";
export { summarizeRuler } from "./eval/score/ruler-summary.js";
export { writeRunDir } from "./eval/write-run-dir.js";
export { renderReportHtml } from "./eval/report-html.js";
export { renderScoresMarkdown } from "./eval/scores-markdown.js";
export { LENGTH_BUCKETS } from "./eval/length-bucket.js";
export { PUBLISHED_RESULTS } from "./eval/published-results.js";
export type { RunLongBenchWriteOptions } from "./eval/run-longbench-write.js";
export type { RunRulerOptions } from "./eval/run-ruler.js";
export type { BenchSuiteOutput } from "./eval/run-bench-suite.js";

// Charts and helpers
export { renderHistogramSvg, binValues } from "./report/histogram-svg.js";
export { renderScatterSvg } from "./report/scatter-svg.js";
export { renderBarChartSvg } from "./report/bar-chart-svg.js";
export { markdownTable } from "./util/markdown-table.js";
export { createLimiter } from "./util/limiter.js";
export { mapOrdered } from "./util/map-ordered.js";
export { quantile } from "./util/quantile.js";
export { TOOL_NAME, TOOL_VERSION } from "./version.js";
export type { Limiter, LimiterPriority } from "./util/limiter.js";
