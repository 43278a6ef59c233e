/**
 * @module cli/commands/pairs — `longwriter pairs <scored> --policy recipes/<policy>.yaml --out <dir>`:
 * applies a declarative pair policy to judged candidates (or to existing preference data, re-paired or
 * only audited) and writes a DPO dataset dir with a length-bias audit.
 */
import { basename } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { auditPairs, auditRow, type PairAudit } from "../../dpo/audit-pairs.js";
import { buildPairs, emptyBuildPairsSummary } from "../../dpo/build-pairs.js";
import { loadPairPolicy } from "../../dpo/load-pair-policy.js";
import { pairsToCandidates } from "../../dpo/pairs-to-candidates.js";
import { writePairsDataset } from "../../dpo/write-pairs-dataset.js";
import { ConfigError } from "../../errors.js";
import { isLongWriterSource } from "../../hub/citations.js";
import { licenseMetadata } from "../../hub/hub-licenses.js";
import { parseFormatName, PREFERENCE_FORMATS, type FormatName } from "../../io/adapters/format.js";
import { issueToString, type InputIssue } from "../../io/input-issue.js";
import { readJsonl } from "../../io/jsonl.js";
import { readRawRecords, readRecords } from "../../io/read-records.js";
import { candidateSchema, type Candidate } from "../../schemas/candidate.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import { runCommand } from "../run-command.js";

interface PairsArgs {
  input: string;
  policy?: string;
  out?: string;
  "audit-only": boolean;
  format: string;
  seed?: number;
  title?: string;
  "skip-invalid": boolean;
  json: boolean;
  license?: string;
  "license-name"?: string;
  "license-link"?: string;
  language?: string[];
}

const INPUT_FORMATS = ["auto", "candidates", ...PREFERENCE_FORMATS] as const;

export const pairsCommand: CommandModule<object, PairsArgs> = {
  command: "pairs <input>",
  describe: "Build DPO preference pairs from scored candidates with a pair policy (or audit existing preference data)",
  builder: (yargs) =>
    (yargs as Argv)
      .positional("input", {
        type: "string",
        demandOption: true,
        describe: "Judged candidates (JSONL from `longwriter judge`), or preference data: LLaMA-Factory, UltraFeedback-binarized, TRL (.json/.jsonl/.parquet/dir)",
      })
      .options({
        policy: { type: "string", describe: "Pair policy YAML (e.g. recipes/dpo-longwriter-paper.yaml); required unless --audit-only" },
        out: { type: "string", describe: "Output dataset dir (Parquet + README.md card + manifest.json + audit SVGs); optional with --audit-only" },
        "audit-only": { type: "boolean", default: false, describe: "Keep existing preference pairs as they are: audit them (and write them to --out if given)" },
        format: { type: "string", default: "auto", describe: `Input format: ${INPUT_FORMATS.join(", ")}` },
        seed: { type: "number", describe: "Override the policy's seed" },
        title: { type: "string", describe: "Dataset card title (default: from the policy or input name)" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip invalid input rows (reported on stderr) instead of stopping" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary (counts, skips by reason, audit) on stdout" },
        license: { type: "string", describe: "Hub licence id for the dataset card (e.g. apache-2.0, cc-by-4.0, other)" },
        "license-name": { type: "string", describe: "With --license other: the licence's short id (card license_name)" },
        "license-link": { type: "string", describe: "With --license other: URL or repo path of the licence text (card license_link)" },
        language: { type: "string", array: true, describe: "Language codes for the dataset card (e.g. --language en zh)" },
      })
      .example("$0 pairs scored.jsonl --policy recipes/dpo-longwriter-paper.yaml --out dpo-pairs", "The paper's rule: best vs a random other")
      .example("$0 pairs scored.jsonl --policy recipes/dpo-length-matched.yaml --out dpo-lm", "Rejected within ±15% of the chosen length")
      .example("$0 pairs dpo_en_demo.json --audit-only --out demo-dpo", "Import LLaMA-Factory preference data and audit its length bias")
      .epilog(
        "A policy names signals (judge quality, lengthScore, any numeric field), each normalised to 0–100 and weighted; gates " +
          "candidates must pass; how the rejected side is picked (random-other | worst | length-matched); minMargin overall and " +
          "per signal; ties (drop | keep | breakBy); pairs per prompt; seed. Prompts that give no pair are counted by reason in " +
          "manifest.json. The audit reports the share of pairs whose chosen answer is longer, Cohen's d of chosen vs rejected " +
          "length and the margin distribution (manifest, card and SVG). Imported pairs become candidates with meta.score " +
          "(score_chosen/score_rejected) and meta.preferred (1/0) for re-pairing policies.",
      ) as unknown as Argv<PairsArgs>,
  handler: runCommand(async (args: PairsArgs) => {
    if (!INPUT_FORMATS.includes(args.format as (typeof INPUT_FORMATS)[number])) {
      const format = parseFormatName(args.format, "input format");
      if (!(PREFERENCE_FORMATS as readonly string[]).includes(format)) throw new ConfigError(`--format ${args.format} is not a preference format`);
      args.format = format;
    }
    if (!args["audit-only"] && !args.policy) throw new ConfigError("name a pair policy with --policy (or use --audit-only)");
    if (!args["audit-only"] && !args.out) throw new ConfigError("name the output dataset dir with --out");
    const card = cardOptions(args);
    const isCandidates = args.format === "candidates" || (args.format === "auto" && (await looksLikeCandidates(args.input)));
    if (isCandidates && args["audit-only"]) throw new ConfigError("--audit-only works on preference pairs; candidates need a --policy");
    const inputName = basename(args.input.replace(/[\\/]+$/, ""));
    const issues: InputIssue[] = [];
    const readOptions = { skipInvalid: args["skip-invalid"], issues };

    if (args["audit-only"]) {
      const pairs: PreferencePair[] = [];
      for await (const { record } of readPreference(args.input, args.format, readOptions)) pairs.push(record);
      reportIssues(issues);
      let audit: PairAudit;
      if (args.out) {
        ({ audit } = await writePairsDataset({
          dir: args.out,
          pairs,
          signals: signalNamesOf(pairs),
          title: args.title ?? `Preference pairs from ${inputName}`,
          description: `Preference pairs imported unchanged from \`${inputName}\` by longwriter-toolkit, with a length-bias audit.`,
          manifest: { input: inputName, mode: "audit-only", counts: { pairs: pairs.length, skippedRows: issues.length } },
          ...card,
          citeLongWriter: isLongWriterSource(inputName),
        }));
      } else audit = auditPairs(pairs.map(auditRow));
      printResult(args, { mode: "audit-only", pairs: pairs.length, skippedRows: issues.length, audit, out: args.out });
      return 0;
    }

    const loaded = await loadPairPolicy({ path: args.policy! });
    const policy = args.seed === undefined ? loaded.policy : { ...loaded.policy, seed: args.seed };
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new ConfigError(`--seed must be an integer, got ${args.seed}`);
    const candidates: AsyncIterable<Candidate> = isCandidates
      ? (async function* () {
          for await (const { record } of readJsonl(args.input, { schema: candidateSchema, ...readOptions })) yield record;
        })()
      : pairsToCandidates(
          (async function* () {
            for await (const { record } of readPreference(args.input, args.format, readOptions)) yield record;
          })(),
        );
    const summary = emptyBuildPairsSummary();
    // A first, cheap pass counts candidates per prompt so finished prompts are paired while streaming.
    const groupSizes = isCandidates ? await countCandidatesPerPrompt(args.input) : undefined;
    const pairs = (async function* () {
      for await (const outcome of buildPairs({ candidates, policy, summary, groupSizes })) yield* outcome.pairs;
    })();
    const { audit } = await writePairsDataset({
      dir: args.out!,
      pairs,
      signals: policy.signals.map((s) => s.name),
      title: args.title ?? `DPO pairs (${policy.name})`,
      description:
        `Preference pairs for DPO made by longwriter-toolkit from \`${inputName}\` with the pair policy \`${policy.name}\`` +
        `${policy.description ? ` (${policy.description})` : ""}. Rows follow TRL's conversational explicit-prompt layout.`,
      policyText: loaded.text,
      ...card,
      // Candidates carry LongBench-Write's length score (and usually its judge's scores).
      citeLongWriter: isCandidates || isLongWriterSource(inputName),
      manifest: {
        input: inputName,
        inputKind: isCandidates ? "candidates" : "preference",
        policy: { name: policy.name, file: basename(loaded.file), hash: loaded.hash, seed: policy.seed },
        counts: () => ({ ...summary, skippedRows: issues.length }),
      },
      sections: () => [countsSection(summary)],
    });
    reportIssues(issues);
    printResult(args, { mode: "pairs", policy: policy.name, ...summary, skippedRows: issues.length, audit, out: args.out });
    if (summary.pairs === 0) {
      process.stderr.write(`no pairs were made; prompts skipped by reason: ${JSON.stringify(summary.skipped)}, candidates excluded: ${JSON.stringify(summary.excludedCandidates)}\n`);
      return 1;
    }
    return 0;
  }),
};

/** Card licence and language from the flags, checked before any work (exit 2 on a bad licence id). */
function cardOptions(args: PairsArgs): { license?: string; licenseName?: string; licenseLink?: string; language?: string[] } {
  const license = { license: args.license, licenseName: args["license-name"], licenseLink: args["license-link"] };
  licenseMetadata(license, "--license");
  const language = (args.language ?? []).flatMap((l) => String(l).split(",")).map((l) => l.trim()).filter(Boolean);
  for (const code of language) if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(code)) throw new ConfigError(`--language ${code}: expected a language code such as en, zh or pt-BR`);
  return {
    ...(license.license ? { license: license.license.trim().toLowerCase() } : {}),
    ...(license.licenseName ? { licenseName: license.licenseName } : {}),
    ...(license.licenseLink ? { licenseLink: license.licenseLink } : {}),
    ...(language.length ? { language } : {}),
  };
}

async function looksLikeCandidates(path: string): Promise<boolean> {
  for await (const { record } of readRawRecords(path)) return typeof record.promptId === "string" && typeof record.response === "string";
  return false;
}

function readPreference(path: string, format: string, options: { skipInvalid: boolean; issues: InputIssue[] }) {
  return readRecords(path, { kind: "preference", ...(format === "auto" ? {} : { format: format as FormatName }), ...options });
}

function signalNamesOf(pairs: readonly PreferencePair[]): string[] {
  const names = new Set<string>();
  for (const pair of pairs) for (const name of Object.keys(pair.signals ?? {})) if (/^[a-z][a-z0-9_]*$/.test(name)) names.add(name);
  return [...names];
}

function countsSection(summary: ReturnType<typeof emptyBuildPairsSummary>): string {
  const rows = (counts: Record<string, number>) => Object.entries(counts).map(([reason, n]) => `| ${reason} | ${n} |`);
  return [
    "## How the pairs were made",
    "",
    `${summary.pairs} pairs from ${summary.promptsWithPairs} of ${summary.prompts} prompts (${summary.candidates} candidates).`,
    "",
    "| prompts skipped, by reason | prompts |",
    "|---|---|",
    ...(Object.keys(summary.skipped).length ? rows(summary.skipped) : ["| (none) | 0 |"]),
    "",
    "| candidates excluded before ranking, by reason | candidates |",
    "|---|---|",
    ...(Object.keys(summary.excludedCandidates).length ? rows(summary.excludedCandidates) : ["| (none) | 0 |"]),
  ].join("\n");
}

function reportIssues(issues: readonly InputIssue[]): void {
  for (const issue of issues) process.stderr.write(`skipped ${issueToString(issue)}\n`);
}

function printResult(args: PairsArgs, result: Record<string, unknown> & { audit: PairAudit }): void {
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const a = result.audit;
  const lines: string[] = [];
  if (result.mode === "pairs") {
    lines.push(
      `${result.pairs} pairs from ${result.promptsWithPairs}/${result.prompts} prompts (${result.candidates} candidates, policy ${result.policy})` +
        (result.out ? ` → ${result.out}` : ""),
    );
    const skipped = Object.entries(result.skipped as Record<string, number>);
    if (skipped.length) lines.push(`prompts skipped: ${skipped.map(([r, n]) => `${r} ${n}`).join(", ")}`);
    const excluded = Object.entries(result.excludedCandidates as Record<string, number>);
    if (excluded.length) lines.push(`candidates excluded: ${excluded.map(([r, n]) => `${r} ${n}`).join(", ")}`);
  } else lines.push(`${result.pairs} pairs imported${result.out ? ` → ${result.out}` : ""}`);
  lines.push(`audit: ${a.verdict}`);
  if (a.margin) lines.push(`margin: median ${a.margin.median.toFixed(1)}, p25 ${a.margin.p25.toFixed(1)}, p75 ${a.margin.p75.toFixed(1)} (min ${a.margin.min.toFixed(1)}, max ${a.margin.max.toFixed(1)})`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Candidates per promptId in a candidates JSONL file (lines that are not candidates are left to the real read). */
async function countCandidatesPerPrompt(file: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for await (const { record } of readJsonl<{ promptId?: unknown }>(file, { skipInvalid: true, issues: [] })) {
    if (typeof record.promptId === "string") sizes.set(record.promptId, (sizes.get(record.promptId) ?? 0) + 1);
  }
  return sizes;
}
