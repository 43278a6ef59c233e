/**
 * @module cli/commands/publish — `longwriter publish <dataset-dir> --repo ns/name`: upload a dataset dir
 * to a Hugging Face dataset repo (only what changed), or print the plan with `--dry-run`.
 */
import type { SingleBar } from "cli-progress";
import { cliProgress } from "../cli-progress.js";
import type { Argv, CommandModule } from "yargs";
import { publishDataset, type PublishDatasetResult, type PublishProgressEvent } from "../../hub/publish-dataset.js";
import { parseRepoId } from "../../hub/pull-dataset.js";
import { runCommand } from "../run-command.js";
import { formatBytes } from "../../util/format-bytes.js";

interface PublishArgs {
  dir: string;
  repo: string;
  private: boolean;
  branch: string;
  pr: boolean;
  "dry-run": boolean;
  "token-env"?: string | undefined;
  endpoint?: string | undefined;
  message?: string | undefined;
  "max-files-per-commit": number;
  xet: boolean;
  json: boolean;
}

function builder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", demandOption: true, describe: "Dataset dir (README.md card, manifest.json, data/*.parquet, optional *.svg)" })
    .options({
      repo: { type: "string", demandOption: true, describe: "Target dataset repo, namespace/name (created when missing)" },
      private: { type: "boolean", default: false, describe: "Create the repo private (an existing repo keeps its visibility)" },
      branch: { type: "string", default: "main", describe: "Branch to commit to (created from main when missing)" },
      pr: { type: "boolean", default: false, describe: "Open a pull request against --branch instead of committing to it" },
      "dry-run": { type: "boolean", default: false, describe: "Print the commit plan (add/update/delete, bytes, LFS) and change nothing" },
      "token-env": { type: "string", describe: "Environment variable holding the token (default HF_TOKEN)" },
      endpoint: { type: "string", describe: "Hub URL (default $HF_ENDPOINT or https://huggingface.co)" },
      message: { type: "string", describe: "Commit title" },
      "max-files-per-commit": {
        type: "number",
        default: 50,
        describe: "Data files uploaded through LFS per commit; small files are packed by bytes (16 MiB, 1,000 files per commit); the card goes last",
      },
      xet: { type: "boolean", default: true, describe: "Use the Xet upload path when the Hub offers it (--no-xet forces plain LFS)" },
      json: { type: "boolean", default: false, describe: "Print a JSON summary (plan, commits, bytes) on stdout" },
    })
    .check((args) => {
      parseRepoId(String(args.repo));
      const n = args["max-files-per-commit"];
      if (!(Number.isInteger(n) && n >= 1)) throw new Error("--max-files-per-commit must be a positive integer");
      return true;
    })
    .example("$0 publish out/mix --repo me/longwriter-mix --dry-run", "Show what would be uploaded")
    .example("HF_TOKEN=hf_… $0 publish out/mix --repo me/longwriter-mix --private", "Create a private repo and upload")
    .example("$0 publish out/mix --repo org/data --pr --token-env ORG_TOKEN", "Open a pull request with another token")
    .epilog(
      "Checks the dir first (card configs, split names, same features in every split, row groups under the viewer's " +
        "286 MiB), then compares each file's hash with what the repo holds: unchanged files are not uploaded, stale " +
        "shards in data/ are deleted in the same commit, and when nothing changed no commit is made. Metadata already " +
        "in the repo's card is kept. 429/5xx/connection resets are retried with backoff (Retry-After honoured, capped); a " +
        "concurrent commit (409/412) makes it re-read the repo and re-plan. A failed run changes nothing half-way: re-run " +
        "it. Token: $HF_TOKEN or --token-env; endpoint: $HF_ENDPOINT or --endpoint. See docs/hub.md.",
    );
}

function reporter(json: boolean): { onProgress: (event: PublishProgressEvent) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true && !json;
  let bar: SingleBar | undefined;
  let lastPrinted = 0;
  const line = (text: string) => {
    if (bar) bar.stop();
    bar = undefined;
    process.stderr.write(`${text}\n`);
  };
  return {
    onProgress(event) {
      switch (event.type) {
        case "scanned":
          line(`checked ${event.files} files (${formatBytes(event.bytes)})`);
          break;
        case "planned":
          line(
            `plan: ${event.add} to add, ${event.update} to update, ${event.delete} to delete, ${event.unchanged} unchanged; ${formatBytes(event.bytes)} to send${event.commits > 1 ? ` in ${event.commits} commits` : ""}`,
          );
          break;
        case "phase":
          if (event.phase === "uploadingLargeFiles" && tty) {
            bar = new (cliProgress().SingleBar)(
              { format: "uploading [{bar}] {percentage}% | {value}/{total} bytes", stream: process.stderr },
              cliProgress().Presets.shades_classic,
            );
            bar.start(1, 0);
          } else line(`${event.commits > 1 ? `commit ${event.commit}/${event.commits}: ` : ""}${event.phase}`);
          break;
        case "uploaded":
          if (bar) {
            bar.setTotal(Math.max(event.total, event.bytes));
            bar.update(event.bytes);
          } else if (!tty && (event.bytes - lastPrinted >= event.total / 20 || event.bytes >= event.total)) {
            lastPrinted = event.bytes;
            process.stderr.write(`uploaded ${formatBytes(event.bytes)}${event.total ? ` of ${formatBytes(event.total)}` : ""}\n`);
          }
          break;
        case "retry":
          line(
            `retrying ${event.retry.method} ${event.retry.url} in ${(event.retry.delayMs / 1000).toFixed(1)} s (${event.retry.reason}, attempt ${event.retry.attempt})`,
          );
          break;
        case "conflict":
          line(`the repo changed meanwhile (HTTP ${event.status}); re-planning in ${(event.delayMs / 1000).toFixed(1)} s`);
          break;
        case "committed":
          line(`committed ${event.oid.slice(0, 10)}${event.commits > 1 ? ` (${event.commit}/${event.commits})` : ""}`);
          break;
        case "warning":
          line(`warning: ${event.message}`);
          break;
        case "file":
          break;
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function renderSummary(result: PublishDatasetResult): string {
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push(`dry run: ${result.created ? `${result.repo} does not exist and would be created` : result.repoUrl} (nothing was changed)`);
    for (const entry of result.plan) {
      lines.push(
        `  ${entry.action.padEnd(9)} ${entry.path}  ${entry.action === "delete" || entry.action === "unchanged" ? "" : `${formatBytes(entry.bytes)}  `}${entry.lfs ? "LFS" : "regular"}`,
      );
    }
    lines.push(`  total to send: ${formatBytes(result.plannedBytes)}`);
  } else if (result.upToDate) {
    lines.push(`${result.repoUrl} is up to date (no commit; 0 bytes uploaded)`);
  } else {
    lines.push(`${result.created ? "created and published" : "published"} ${result.repoUrl}`);
    const count = (a: string) => result.plan.filter((e) => e.action === a).length;
    lines.push(
      `  ${count("add")} added, ${count("update")} updated, ${count("delete")} deleted, ${count("unchanged")} unchanged; ${formatBytes(result.uploadedBytes)} of large-file (LFS) data uploaded`,
    );
    if (result.pullRequestUrl) lines.push(`  pull request: ${result.pullRequestUrl}`);
    lines.push(`  commit: ${result.commitUrl}`);
  }
  return `${lines.join("\n")}\n`;
}

export const publishCommand: CommandModule<object, PublishArgs> = {
  command: "publish <dir>",
  describe: "Publish a dataset dir to a Hugging Face dataset repo (only what changed; --dry-run shows the plan)",
  builder,
  handler: runCommand<PublishArgs>(async (args) => {
    const progress = reporter(args.json);
    try {
      const result = await publishDataset({
        dir: args.dir,
        repo: args.repo,
        branch: args.branch,
        pr: args.pr,
        private: args.private,
        dryRun: args["dry-run"],
        tokenEnv: args["token-env"] || undefined,
        endpoint: args.endpoint || undefined,
        commitMessage: args.message || undefined,
        maxFilesPerCommit: args["max-files-per-commit"],
        useXet: args.xet,
        onProgress: progress.onProgress,
      });
      progress.stop();
      if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(renderSummary(result));
    } finally {
      progress.stop();
    }
  }),
};
