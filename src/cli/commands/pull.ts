/**
 * @module cli/commands/pull — `longwriter pull ns/name`: download dataset files at a revision into the
 * sha-keyed cache (and optionally copy them to a dir), offline from the cache when asked or when the
 * network is down.
 */
import type { Argv, CommandModule } from "yargs";
import { placePulledFiles } from "../../hub/place-pulled-files.js";
import { pullDataset, type PullProgressEvent } from "../../hub/pull-dataset.js";
import { runCommand } from "../run-command.js";

interface PullArgs {
  repo: string;
  revision: string;
  files?: string[] | undefined;
  out?: string | undefined;
  force: boolean;
  "cache-dir"?: string | undefined;
  offline: boolean;
  "token-env"?: string | undefined;
  endpoint?: string | undefined;
  json: boolean;
}

function builder(yargs: Argv) {
  return yargs
    .positional("repo", { type: "string", demandOption: true, describe: "Dataset repo, namespace/name" })
    .options({
      revision: { type: "string", default: "main", describe: "Branch, tag or 40-hex commit sha" },
      files: { type: "string", array: true, describe: "Glob(s) of repo paths to pull (e.g. 'data/train-*'); default: every file" },
      out: { type: "string", describe: "Also copy the files here, keeping their repo paths (each checked against the repo's hash)" },
      force: { type: "boolean", default: false, describe: "With --out: replace existing files that no earlier pull of this repo wrote" },
      "cache-dir": { type: "string", describe: "Cache root (default $LONGWRITER_CACHE/hub or ~/.cache/longwriter-toolkit/hub)" },
      offline: { type: "boolean", default: false, describe: "Use only the cache; fail if something is missing" },
      "token-env": { type: "string", describe: "Environment variable holding a token for private repos (default HF_TOKEN)" },
      endpoint: { type: "string", describe: "Hub URL (default $HF_ENDPOINT or https://huggingface.co)" },
      json: { type: "boolean", default: false, describe: "Print {repo, revision, sha, files} as JSON on stdout" },
    })
    .example("$0 pull THUDM/LongWriter-6k --files '*.jsonl'", "Fetch the LongWriter-6k data files")
    .example("$0 pull me/mix --revision 3f2a…(40 hex) --out data/mix", "Pin a commit and copy the files to data/mix")
    .epilog(
      "The revision is resolved to a commit sha, which is printed and recorded; files are verified against the repo's " +
        "hashes and cached under that sha, so a later pull of the same sha makes no network request. Without network, a " +
        "branch falls back to the sha it resolved to last time (with a warning). See docs/hub.md.",
    );
}

export const pullCommand: CommandModule<object, PullArgs> = {
  command: "pull <repo>",
  describe: "Download dataset files from the Hub at a pinned revision (cached by commit sha, works offline)",
  builder,
  handler: runCommand<PullArgs>(async (args) => {
    const onProgress = (event: PullProgressEvent) => {
      if (args.json) return;
      if (event.type === "resolved") process.stderr.write(`${args.repo}@${args.revision} = ${event.sha}: ${event.files} file(s), ${event.bytes} bytes\n`);
      else if (!event.cached) process.stderr.write(`downloaded ${event.path} (${event.bytes} bytes)\n`);
    };
    const result = await pullDataset({
      repo: args.repo,
      revision: args.revision,
      files: args.files,
      cacheDir: args["cache-dir"] || undefined,
      tokenEnv: args["token-env"] || undefined,
      endpoint: args.endpoint || undefined,
      offline: args.offline,
      onProgress,
    });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    const files = args.out
      ? await placePulledFiles({ repo: result.repo, sha: result.sha, files: result.files, outDir: args.out, force: args.force })
      : result.files;
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ repo: result.repo, revision: result.revision, sha: result.sha, fromCache: result.fromCache, warnings: result.warnings, files }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${result.repo}@${result.revision} → ${result.sha}${result.fromCache ? " (from cache)" : ""}\n`);
      for (const f of files) process.stdout.write(`  ${f.path}  ${f.bytes} bytes  ${"outPath" in f ? f.outPath : f.localPath}\n`);
    }
  }),
};
