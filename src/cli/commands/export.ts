/**
 * @module cli/commands/export — `longwriter export <dir> --to trl|llama-factory|openai-dpo --out <path>`:
 * writes DPO pairs in the layout a trainer reads.
 */
import type { CommandModule } from "yargs";
import { EXPORT_TARGETS, type ExportTarget } from "../../dpo/export-pairs.js";
import { runExport } from "../../dpo/run-export.js";
import { runCommand } from "../run-command.js";

interface ExportArgs {
  input: string;
  to: ExportTarget;
  out: string;
  name?: string | undefined;
  json: boolean;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: "export <input>",
  describe:
    "Export for a trainer: TRL DPO/ORPO/SimPO or KTO JSONL, LLaMA-Factory ranking data (or SFT data, tool calls included), OpenAI preference fine-tuning JSONL",
  builder: (yargs) =>
    yargs
      .positional("input", {
        type: "string",
        demandOption: true,
        describe: "A pairs dataset dir (from `longwriter pairs`) or any preference file the adapters read; for llama-factory also an SFT dir or file",
      })
      .options({
        to: { choices: EXPORT_TARGETS, demandOption: true, describe: "Target layout" },
        out: {
          type: "string",
          demandOption: true,
          describe:
            "trl / orpo / simpo / kto / openai-dpo: the .jsonl file to write; llama-factory: the data directory (gets <name>.json and dataset_info.json; SFT data too, tool calls included)",
        },
        name: { type: "string", describe: "llama-factory: dataset name in dataset_info.json (default: the input's base name)" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
      })
      .example("$0 export dpo-pairs --to trl --out dpo.jsonl", "For TRL's DPOTrainer: load_dataset('json', data_files='dpo.jsonl')")
      .example("$0 export dpo-pairs --to llama-factory --out LLaMA-Factory/data --name longwriter_dpo", "Adds longwriter_dpo to dataset_info.json")
      .example(
        "$0 export out/mix --to llama-factory --out LLaMA-Factory/data --name my_sft",
        "An SFT mix (tool calls as function_call/observation + tools) for LLaMA-Factory",
      )
      .example("$0 export dpo-pairs --to openai-dpo --out openai-dpo.jsonl", "OpenAI preference fine-tuning (method: dpo)")
      .example("$0 export dpo-pairs --to kto --out kto.jsonl", "TRL's KTOTrainer: chosen → label true, rejected → label false")
      .example("$0 export kto_en_demo.json --to kto --out kto.jsonl", "Feedback data ({messages, label}) → KTO rows")
      .epilog(
        "TRL rows keep prompt/chosen/rejected as message lists plus score_chosen, score_rejected, signals and reason " +
          "(DPOTrainer ignores the extras; raise its max_length for long-writing pairs). LLaMA-Factory gets a ShareGPT " +
          "ranking file and a dataset_info.json entry (formatting sharegpt, ranking true), merged into an existing file. " +
          "OpenAI rows are {input: {messages}, preferred_output, non_preferred_output} (a warning counts multi-turn prompts: " +
          "OpenAI learns from the last turn only). orpo and simpo write the trl rows (ORPOTrainer; CPOTrainer with " +
          'loss_type="simpo"). kto writes unpaired {prompt, completion, label} rows for KTOTrainer.',
      ),
  handler: runCommand(async (args: ExportArgs) => {
    const { result, rowsAre } = await runExport({
      input: args.input,
      to: args.to,
      out: args.out,
      name: args.name,
      onNote: (note) => process.stderr.write(`${note}\n`),
    });
    for (const warning of result.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`exported ${result.rows} ${rowsAre} as ${result.target} → ${result.files.join(", ")}\n`);
    return 0;
  }),
};
