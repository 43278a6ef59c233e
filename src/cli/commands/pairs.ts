/**
 * @module cli/commands/pairs — `longwriter pairs <scored> --policy recipes/<policy>.yaml --out <dir>`:
 * applies a declarative pair policy to judged candidates (or to existing preference data, re-paired or
 * only audited) and writes a DPO dataset dir with a length-bias audit.
 */
import type { CommandModule } from "yargs";
import { PAIRS_INPUT_FORMATS, runPairs, type PairsSummary } from "../../dpo/run-pairs.js";
import { ConfigError } from "../../errors.js";
import { issueToString } from "../../io/input-issue.js";
import { runCommand } from "../run-command.js";

interface PairsArgs {
  input: string;
  policy?: string | undefined;
  out?: string | undefined;
  "audit-only": boolean;
  format: string;
  seed?: number | undefined;
  title?: string | undefined;
  "skip-invalid": boolean;
  json: boolean;
  license?: string | undefined;
  "license-name"?: string | undefined;
  "license-link"?: string | undefined;
  language?: string[] | undefined;
}

export const pairsCommand: CommandModule<object, PairsArgs> = {
  command: "pairs <input>",
  describe: "Build DPO preference pairs from scored candidates with a pair policy (or audit existing preference data)",
  builder: (yargs) =>
    yargs
      .positional("input", {
        type: "string",
        demandOption: true,
        describe:
          "Judged candidates (JSONL from `longwriter judge`), or preference data: LLaMA-Factory, UltraFeedback-binarized, TRL (.json/.jsonl/.parquet/dir)",
      })
      .options({
        policy: { type: "string", describe: "Pair policy YAML (e.g. recipes/dpo-longwriter-paper.yaml); required unless --audit-only" },
        out: { type: "string", describe: "Output dataset dir (Parquet + README.md card + manifest.json + audit SVGs); optional with --audit-only" },
        "audit-only": {
          type: "boolean",
          default: false,
          describe: "Keep existing preference pairs as they are: audit them (and write them to --out if given)",
        },
        format: { type: "string", default: "auto", describe: `Input format: ${PAIRS_INPUT_FORMATS.join(", ")}` },
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
      ),
  handler: runCommand(async (args: PairsArgs) => {
    if (!args["audit-only"] && !args.policy) throw new ConfigError("name a pair policy with --policy (or use --audit-only)");
    if (!args["audit-only"] && !args.out) throw new ConfigError("name the output dataset dir with --out");
    const { invalid, ...result } = await runPairs({
      input: args.input,
      policy: args.policy,
      out: args.out,
      auditOnly: args["audit-only"],
      format: args.format,
      seed: args.seed,
      title: args.title,
      skipInvalid: args["skip-invalid"],
      license: args.license,
      licenseName: args["license-name"],
      licenseLink: args["license-link"],
      language: args.language,
    });
    for (const issue of invalid) process.stderr.write(`skipped ${issueToString(issue)}\n`);
    printResult(args, result);
    if (result.mode === "pairs" && result.pairs === 0) {
      process.stderr.write(
        `no pairs were made; prompts skipped by reason: ${JSON.stringify(result.skipped)}, candidates excluded: ${JSON.stringify(result.excludedCandidates)}\n`,
      );
      return 1;
    }
    return 0;
  }),
};

/** Prints the run's summary: JSON with --json, else a few lines. */
function printResult(args: PairsArgs, result: DistributiveOmit<PairsSummary, "invalid">): void {
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
    const skipped = Object.entries(result.skipped);
    if (skipped.length) lines.push(`prompts skipped: ${skipped.map(([r, n]) => `${r} ${n}`).join(", ")}`);
    const excluded = Object.entries(result.excludedCandidates);
    if (excluded.length) lines.push(`candidates excluded: ${excluded.map(([r, n]) => `${r} ${n}`).join(", ")}`);
  } else lines.push(`${result.pairs} pairs imported${result.out ? ` → ${result.out}` : ""}`);
  lines.push(`audit: ${a.verdict}`);
  if (a.margin)
    lines.push(
      `margin: median ${a.margin.median.toFixed(1)}, p25 ${a.margin.p25.toFixed(1)}, p75 ${a.margin.p75.toFixed(1)} (min ${a.margin.min.toFixed(1)}, max ${a.margin.max.toFixed(1)})`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
