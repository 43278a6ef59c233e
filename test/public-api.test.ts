/**
 * The public API is a written list (src/index.ts). This test holds the same list: adding or removing an
 * export without updating it here fails, so the package surface never grows or shrinks by accident.
 * When you change it on purpose, update this list and docs/library.md together.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinModules } from "node:module";
import * as api from "../src/index.js";
import * as textApi from "../src/entries/text.js";
import { importGraph } from "./helpers/import-graph.js";
import { PROJECT_ROOT } from "./helpers/run-cli.js";

/** Runtime exports (136). */
const VALUES = [
  "AgentWriteError",
  "ConfigError",
  "ContentFilterError",
  "DROP_REASONS",
  "EmptyCompletionError",
  "FORMATS",
  "HubError",
  "InputError",
  "JUDGE_DIMENSIONS",
  "LENGTH_BUCKETS",
  "LengthLimitError",
  "LlmCallError",
  "OptionError",
  "PREFERENCE_FORMATS",
  "PUBLISHED_RESULTS",
  "SFT_COLUMNS",
  "SFT_FORMATS",
  "SFT_TOOL_COLUMNS",
  "TOOL_NAME",
  "TOOL_VERSION",
  "ToolkitError",
  "TruncatedStreamError",
  "agentWrite",
  "aggregateScores",
  "applyFilters",
  "auditPairs",
  "auditRow",
  "binValues",
  "buildPairs",
  "candidateSchema",
  "combineFilters",
  "computeDatasetStats",
  "convertFile",
  "countScripts",
  "countWords",
  "countWordsUtf8",
  "createLimiter",
  "createLlmClient",
  "createTokenCounter",
  "datasetConfigs",
  "detectFormat",
  "detectLanguage",
  "evalRunSchema",
  "exactDuplicates",
  "exportLlamaFactory",
  "exportLlamaFactorySft",
  "exportOpenAiDpo",
  "exportTrl",
  "extractRequiredLength",
  "extractRequiredLengthDetailed",
  "filterDrop",
  "formatLocation",
  "getAdapter",
  "hasAnswer",
  "instructionSchema",
  "judgeAgreement",
  "judgeCandidates",
  "judgeResponse",
  "judgementSchema",
  "lengthScore",
  "loadAgentWritePrompts",
  "loadBench",
  "loadJudgeTemplate",
  "loadPairPolicy",
  "loadPrices",
  "loadRecipe",
  "loadUpstreamAgentWritePrompts",
  "looksLikeCandidates",
  "mapOrdered",
  "markdownTable",
  "maxPlanSteps",
  "maxWords",
  "mergeDatasetCard",
  "messageSchema",
  "minLengthScore",
  "minWords",
  "mixDatasets",
  "mixRecipeSchema",
  "newFilterCounts",
  "noErrorText",
  "noRefusal",
  "openAiDpoToPair",
  "openJudgeCache",
  "pairPolicySchema",
  "pairsForPrompt",
  "pairsToCandidates",
  "parseDatasetCard",
  "parseJudgeReply",
  "planSchema",
  "preferencePairSchema",
  "promptLanguage",
  "publishDataset",
  "pullDataset",
  "qualityFromScores",
  "quantile",
  "readCandidates",
  "readDatasetDir",
  "readInstructions",
  "readJsonl",
  "readPairsDataset",
  "readParquet",
  "readParquetInfo",
  "readRawRecords",
  "readRecords",
  "readSamplePrompts",
  "recordId",
  "renderBarChartSvg",
  "renderDatasetCard",
  "renderHistogramSvg",
  "renderReportHtml",
  "renderScatterSvg",
  "renderScoresMarkdown",
  "requiredLengthKnown",
  "requiredLengthOf",
  "resolveBenchFile",
  "rolesCheck",
  "runAgentWrite",
  "runBenchmark",
  "runExport",
  "runFilter",
  "runJudge",
  "runLongBenchWrite",
  "runPairs",
  "runRuler",
  "runSample",
  "runSelect",
  "runStats",
  "sampleCandidates",
  "selectByRules",
  "sftPostFilter",
  "sftRecordSchema",
  "summarize",
  "summarizeRuler",
  "toolCallSchema",
  "validateRecipe",
  "writeDatasetDir",
  "writeFileAtomic",
  "writeJsonl",
  "writePairsDataset",
  "writeParquet",
  "writeParquetShards",
  "writeRawRecords",
  "writeRecords",
  "writeRunDir",
];

/** Type-only exports (66). */
const TYPES = [
  "AgentWriteEvent",
  "AgentWriteFailure",
  "AgentWriteOptions",
  "AgentWriteSummary",
  "BenchSuiteOutput",
  "BuildPairsSummary",
  "Candidate",
  "ChatRequest",
  "ChatResult",
  "DatasetCardInfo",
  "DatasetManifest",
  "DropReason",
  "EvalRun",
  "Filter",
  "FilterCounts",
  "FilterDrop",
  "FilterResult",
  "FilterSummary",
  "FormatName",
  "InputLocation",
  "Instruction",
  "JudgeAgreement",
  "JudgeCache",
  "JudgeCandidatesOptions",
  "JudgeSummary",
  "JudgeTemplate",
  "JudgedCandidate",
  "Judgement",
  "Limiter",
  "LimiterPriority",
  "LlmClient",
  "LlmClientOptions",
  "LlmTotals",
  "LocatedRecord",
  "Message",
  "MixDatasetsOptions",
  "MixManifest",
  "MixProgress",
  "MixRecipe",
  "MixResult",
  "PairAudit",
  "PairPolicy",
  "PairsSummary",
  "Plan",
  "PreferencePair",
  "PublishDatasetOptions",
  "PublishDatasetResult",
  "PublishProgressEvent",
  "PullDatasetOptions",
  "PullDatasetResult",
  "ReadRecordsOptions",
  "RunAgentWriteOptions",
  "RunJudgeOptions",
  "RunLongBenchWriteOptions",
  "RunPairsOptions",
  "RunRulerOptions",
  "RunSampleOptions",
  "SampleCandidatesOptions",
  "SampleFailure",
  "SamplePrompt",
  "SampleSummary",
  "SampledPrompt",
  "SelectOptions",
  "SelectSummary",
  "SftPostFilterOptions",
  "SftRecord",
  "ToolCall",
  "ToolkitErrorFields",
];

describe("public API", () => {
  it("exports exactly the listed runtime names", () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
  });

  it("exports exactly the listed types", () => {
    const index = readFileSync(join(PROJECT_ROOT, "src/index.ts"), "utf8");
    const types = [...index.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((name) => name.trim()));
    expect(types.sort()).toEqual(TYPES);
    // Everything re-exported is named: no `export *` lets a module's internals leak into the package.
    expect(index).not.toMatch(/export \*/);
  });
});

/** The `longwriter-toolkit/text` entry (package.json "exports" → dist/bundle/entries-text.js, bundled from dist/entries/text.js). */
const TEXT_VALUES = [
  "countScripts",
  "countWords",
  "countWordsUtf8",
  "detectLanguage",
  "extractRequiredLength",
  "extractRequiredLengthDetailed",
  "lengthScore",
  "recordId",
];

describe("the longwriter-toolkit/text entry", () => {
  it("exports the text metrics, the very same functions as the main entry", () => {
    expect(Object.keys(textApi).sort()).toEqual(TEXT_VALUES);
    for (const name of TEXT_VALUES) expect((textApi as Record<string, unknown>)[name], name).toBe((api as Record<string, unknown>)[name]);
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { exports: Record<string, { import: string; types: string }> };
    expect(manifest.exports["./text"]).toEqual({ types: "./dist/entries/text.d.ts", import: "./dist/bundle/entries-text.js" });
  });

  it("loads no dependency and none of the heavy layers (only Node built-ins, src/text and the wasm loader)", () => {
    const { files, packages } = importGraph(join(PROJECT_ROOT, "src/entries/text.ts"));
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    expect(packages.filter((name) => !builtins.has(name))).toEqual([]);
    const relativeFiles = files.map((path) => path.slice(join(PROJECT_ROOT, "src").length + 1));
    const folders = [...new Set(relativeFiles.map((path) => path.split("/")[0]))].sort();
    expect(folders).toEqual(["entries", "errors.ts", "text", "util"]);
    expect(relativeFiles.filter((path) => path.startsWith("util/"))).toEqual(["util/wasm-instance.ts"]);
  });
});
