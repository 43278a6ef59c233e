import { describe, expect, it } from "vitest";
import { commandLoaders, loadCommands } from "./index.js";

describe("command loaders", () => {
  it("each loader's key is the first word of the command it loads", async () => {
    for (const [name, load] of commandLoaders) {
      const command = await load();
      expect(String(command.command).split(" ")[0], name).toBe(name);
    }
  });

  it("loads only the named command, and all of them otherwise", async () => {
    expect(await loadCommands(["mix", "recipes/quickstart.yaml"])).toHaveLength(1);
    expect(await loadCommands(["--json", "stats", "x.jsonl"])).toHaveLength(1);
    expect(await loadCommands(["--help"])).toHaveLength(commandLoaders.length);
    expect(await loadCommands(["mixx"])).toHaveLength(commandLoaders.length);
  });
});
