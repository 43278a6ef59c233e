/**
 * @module dpo/run-pairs — `pairs` as a library call: judged candidates (or existing preference data,
 * re-paired through a policy or only audited) to a DPO dataset dir with counts, a length-bias audit and
 * a card. The input format is sniffed unless named; candidate files are read twice (a cheap count per
 * prompt first) so finished prompts are paired while streaming.
 */
import { basename } from "node:path";
import { ConfigError } from "../errors.js";
import { isLongWriterSource } from "../hub/citations.js";
import { licenseMetadata } from "../schemas/hub-licenses.js";
import { parseFormatName, PREFERENCE_FORMATS, type FormatName } from "../io/adapters/format.js";
import type { InputIssue } from "../io/input-issue.js";
import { readJsonl } from "../io/jsonl.js";
import { readRecords } from "../io/read-records.js";
import type { Candidate } from "../schemas/candidate.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { auditPairs, auditRow, type AuditRow, type PairAudit } from "./audit-pairs.js";
import { buildPairs, emptyBuildPairsSummary, type BuildPairsSummary } from "./build-pairs.js";
import { looksLikeCandidates, readCandidates } from "../io/candidates-file.js";
import { loadPairPolicy } from "./load-pair-policy.js";
import { pairsToCandidates } from "./pairs-to-candidates.js";
import { writePairsDataset } from "./write-pairs-dataset.js";
import { markdownTable } from "../util/markdown-table.js";

/** Input formats `runPairs` reads: judged candidates, a preference format (or an alias of one), or "auto". */
export const PAIRS_INPUT_FORMATS = ["auto", "candidates", ...PREFERENCE_FORMATS] as const;

export interface RunPairsOptions {
  /** Judged candidates (JSONL) or preference data (.json/.jsonl/.parquet/dataset dir). */
  input: string;
  /** Pair policy YAML; required unless `auditOnly`. */
  policy?: string | undefined;
  /** Output dataset dir; required unless `auditOnly`. */
  out?: string | undefined;
  /** Keep existing preference pairs as they are: audit them (and write them to `out` if given). @default false */
  auditOnly?: boolean | undefined;
  /** One of `PAIRS_INPUT_FORMATS` or a format alias. @default "auto" */
  format?: string | undefined;
  /** Overrides the policy's seed. */
  seed?: number | undefined;
  /** Dataset card title. @default from the policy or the input name */
  title?: string | undefined;
  /** Skip invalid input rows (listed in `invalid`) instead of stopping. @default false */
  skipInvalid?: boolean | undefined;
  /** Hub licence id for the card (checked against the Hub's list before any work); `other` needs a name and link. */
  license?: string | undefined;
  /** With `license: "other"`: the licence's short id (card `license_name`). */
  licenseName?: string | undefined;
  /** With `license: "other"`: URL or repo path of the licence text (card `license_link`). */
  licenseLink?: string | undefined;
  /** Language codes for the card (`en`, `zh`, `pt-BR`). */
  language?: string[] | undefined;
}

interface PairsRunCommon {
  skippedRows: number;
  audit: PairAudit;
  out: string | undefined;
  /** Skipped input rows (with `skipInvalid`). */
  invalid: InputIssue[];
}

/** Result of an `auditOnly` run. */
export interface AuditOnlySummary extends PairsRunCommon {
  mode: "audit-only";
  pairs: number;
}

/** Result of a policy run: the `buildPairs` counts plus the policy name. */
export interface PolicyPairsSummary extends PairsRunCommon, BuildPairsSummary {
  mode: "pairs";
  policy: string;
}

export type PairsSummary = AuditOnlySummary | PolicyPairsSummary;

/**
 * Makes (or audits) preference pairs. A policy run that makes no pair still writes the dataset dir and
 * reports why in `skipped` / `excludedCandidates`.
 *
 * @example
 * const summary = await runPairs({ input: "scored.jsonl", policy: "recipes/dpo-longwriter-paper.yaml", out: "out/dpo" });
 */
export async function runPairs(options: RunPairsOptions): Promise<PairsSummary> {
  const { input, out, auditOnly = false, skipInvalid = false } = options;
  const format = resolveFormat(options.format ?? "auto");
  if (!auditOnly && !options.policy) throw new ConfigError("name a pair policy (or audit only)", { field: "policy" });
  if (!auditOnly && !out) throw new ConfigError("name the output dataset dir", { field: "out" });
  const card = cardOptions(options);
  // The card and manifest name the input by file name: a local directory is nobody else's business.
  const inputName = basename(input.replace(/[\\/]+$/, ""));
  const isCandidates = format === "candidates" || (format === "auto" && (await looksLikeCandidates(input)));
  if (isCandidates && auditOnly) throw new ConfigError("auditing only works on preference pairs; candidates need a pair policy");
  const invalid: InputIssue[] = [];
  const readOptions = { skipInvalid, issues: invalid };

  if (auditOnly) {
    // A first pass reads every row (so a bad one stops the run before anything is written), counts them,
    // finds the signal columns and, without --out, audits them. No pair is kept: 200k pairs (118 MB of
    // JSONL) took 0.4 GB of memory without --out and 1.06 GB with it when they were (now 0.15 and 0.7).
    const signals = new Set<string>();
    const auditRows: AuditRow[] = [];
    let count = 0;
    for await (const { record } of readPreference(input, format, readOptions)) {
      count += 1;
      addSignalNames(record, signals);
      if (!out) auditRows.push(auditRow(record));
    }
    let audit: PairAudit;
    if (out) {
      // The second pass streams the same rows into the dataset dir (the first reported the skipped ones).
      const pairs = (async function* () {
        for await (const { record } of readPreference(input, format, { skipInvalid, issues: [] })) yield record;
      })();
      ({ audit } = await writePairsDataset({
        dir: out,
        pairs,
        signals: [...signals],
        title: options.title ?? `Preference pairs from ${inputName}`,
        description: `Preference pairs imported unchanged from \`${inputName}\` by longwriter-toolkit, with a length-bias audit.`,
        manifest: { input: inputName, mode: "audit-only", counts: { pairs: count, skippedRows: invalid.length } },
        ...card,
        citeLongWriter: isLongWriterSource(inputName),
      }));
    } else audit = auditPairs(auditRows);
    return { mode: "audit-only", pairs: count, skippedRows: invalid.length, audit, out, invalid };
  }

  const loaded = await loadPairPolicy({ path: options.policy! });
  const { seed } = options;
  const policy = seed === undefined ? loaded.policy : { ...loaded.policy, seed };
  if (seed !== undefined && !Number.isInteger(seed)) throw new ConfigError(`seed must be an integer, got ${seed}`, { field: "seed" });
  const candidates: AsyncIterable<Candidate> = isCandidates
    ? readCandidates(input, readOptions)
    : pairsToCandidates(
        (async function* () {
          for await (const { record } of readPreference(input, format, readOptions)) yield record;
        })(),
      );
  const summary = emptyBuildPairsSummary();
  // A first, cheap pass counts candidates per prompt so finished prompts are paired while streaming.
  const groupSizes = isCandidates ? await countCandidatesPerPrompt(input) : undefined;
  const pairs = (async function* () {
    for await (const outcome of buildPairs({ candidates, policy, summary, groupSizes })) yield* outcome.pairs;
  })();
  const { audit } = await writePairsDataset({
    dir: out!,
    pairs,
    signals: policy.signals.map((s) => s.name),
    title: options.title ?? `DPO pairs (${policy.name})`,
    description:
      `Preference pairs for DPO made by longwriter-toolkit from \`${inputName}\` with the pair policy \`${policy.name}\`` +
      `${policy.description ? ` (${policy.description})` : ""}. Rows follow TRL's conversational explicit-prompt layout.`,
    policyText: loaded.text,
    ...card,
    // Candidates carry LongBench-Write's length score S_l (and usually its judge's scores).
    citeLongWriter: isCandidates || isLongWriterSource(inputName),
    manifest: {
      input: inputName,
      inputKind: isCandidates ? "candidates" : "preference",
      policy: { name: policy.name, file: basename(loaded.file), hash: loaded.hash, seed: policy.seed },
      counts: () => ({ ...summary, skippedRows: invalid.length }),
    },
    sections: () => [countsSection(summary)],
  });
  return { mode: "pairs", policy: policy.name, ...summary, skippedRows: invalid.length, audit, out, invalid };
}

/** The card's licence and language, checked before any work (a ConfigError, exit 2, on a bad licence id or code). */
function cardOptions(options: RunPairsOptions): { license?: string; licenseName?: string; licenseLink?: string; language?: string[] } {
  const { license, licenseName, licenseLink } = options;
  licenseMetadata({ license, licenseName, licenseLink }, "license");
  const language = (options.language ?? [])
    .flatMap((l) => String(l).split(","))
    .map((l) => l.trim())
    .filter(Boolean);
  for (const code of language) {
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(code)) throw new ConfigError(`"${code}" is not a language code such as en, zh or pt-BR`, { field: "language" });
  }
  return {
    ...(license ? { license: license.trim().toLowerCase() } : {}),
    ...(licenseName ? { licenseName } : {}),
    ...(licenseLink ? { licenseLink } : {}),
    ...(language.length ? { language } : {}),
  };
}

type ResolvedFormat = "auto" | "candidates" | FormatName;

function resolveFormat(name: string): ResolvedFormat {
  if ((PAIRS_INPUT_FORMATS as readonly string[]).includes(name)) return name as ResolvedFormat;
  const format = parseFormatName(name, "input format");
  if (!(PREFERENCE_FORMATS as readonly string[]).includes(format)) throw new ConfigError(`format ${name} is not a preference format`, { field: "format" });
  return format;
}

function readPreference(path: string, format: ResolvedFormat, options: { skipInvalid: boolean; issues: InputIssue[] }) {
  return readRecords(path, { kind: "preference", ...(format === "auto" ? {} : { format: format as FormatName }), ...options });
}

/** Adds the pair's signal names that can be column names, in the order first seen. */
function addSignalNames(pair: PreferencePair, names: Set<string>): void {
  for (const name of Object.keys(pair.signals ?? {})) if (/^[a-z][a-z0-9_]*$/.test(name)) names.add(name);
}

/** The card section that says how many prompts gave pairs and why the others did not. */
function countsSection(summary: BuildPairsSummary): string {
  const rows = (counts: Record<string, number>): string[][] =>
    Object.keys(counts).length ? Object.entries(counts).map(([reason, n]) => [reason, String(n)]) : [["(none)", "0"]];
  return [
    "## How the pairs were made",
    "",
    `${summary.pairs} pairs from ${summary.promptsWithPairs} of ${summary.prompts} prompts (${summary.candidates} candidates).`,
    "",
    markdownTable(["prompts skipped, by reason", "prompts"], rows(summary.skipped)),
    markdownTable(["candidates excluded before ranking, by reason", "candidates"], rows(summary.excludedCandidates)).trimEnd(),
  ].join("\n");
}

/** Candidates per promptId in a candidates JSONL file (lines that are not candidates are left to the real read). */
async function countCandidatesPerPrompt(file: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for await (const { record } of readJsonl<{ promptId?: unknown }>(file, { skipInvalid: true, issues: [] })) {
    if (typeof record.promptId === "string") sizes.set(record.promptId, (sizes.get(record.promptId) ?? 0) + 1);
  }
  return sizes;
}
