/** @module cli/commands — every CLI command, registered in pipeline order (the order `--help` lists them). */
import type { CommandModule } from "yargs";
import { evalCommandModule } from "./eval.js";
import { reportCommand } from "./report.js";
import { convertCommand } from "./convert.js";
import { statsCommand } from "./stats.js";
import { agentwriteCommand } from "./agentwrite.js";
import { selectCommand } from "./select.js";
import { filterCommand } from "./filter.js";
import { mixCommand } from "./mix.js";
import { sampleCommand } from "./sample.js";
import { judgeCommand } from "./judge.js";
import { pairsCommand } from "./pairs.js";
import { exportCommand } from "./export.js";
import { publishCommand } from "./publish.js";
import { pullCommand } from "./pull.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  // read and describe data
  convertCommand as CommandModule,
  statsCommand as CommandModule,
  // long-output SFT data
  selectCommand as CommandModule,
  agentwriteCommand as CommandModule,
  filterCommand as CommandModule,
  // mixtures
  mixCommand as CommandModule,
  // DPO
  sampleCommand as CommandModule,
  judgeCommand as CommandModule,
  pairsCommand as CommandModule,
  exportCommand as CommandModule,
  // the Hub
  publishCommand as CommandModule,
  pullCommand as CommandModule,
  // evaluation
  evalCommandModule,
  reportCommand as CommandModule,
];
