import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { resolveHubConfig, tokenFilePath } from "./hub-config.js";

const dir = makeTmpDir("lw-hub-token-");

describe("Hub token discovery (as huggingface_hub finds it)", () => {
  const home = join(dir, "home");
  mkdirSync(join(home, ".cache", "huggingface"), { recursive: true });
  writeFileSync(join(home, ".cache", "huggingface", "token"), "hf_from_default_home\n");
  const hfHome = join(dir, "hf-home");
  mkdirSync(hfHome);
  writeFileSync(join(hfHome, "token"), "hf_from_hf_home");
  const tokenPath = join(dir, "custom-token");
  writeFileSync(tokenPath, "  hf_from_token_path  \n");

  it("HF_TOKEN first, then HF_TOKEN_PATH, then $HF_HOME/token, then ~/.cache/huggingface/token", () => {
    const all = { HOME: home, HF_HOME: hfHome, HF_TOKEN_PATH: tokenPath, HF_TOKEN: "hf_from_env" };
    expect(resolveHubConfig({ env: all }).token).toBe("hf_from_env");
    expect(resolveHubConfig({ env: { ...all, HF_TOKEN: undefined } }).token).toBe("hf_from_token_path");
    expect(resolveHubConfig({ env: { ...all, HF_TOKEN: "", HF_TOKEN_PATH: undefined } }).token).toBe("hf_from_hf_home");
    expect(resolveHubConfig({ env: { HOME: home } }).token).toBe("hf_from_default_home");
    expect(tokenFilePath({ HOME: home })).toBe(join(home, ".cache", "huggingface", "token"));
    expect(tokenFilePath({ HOME: home, XDG_CACHE_HOME: join(dir, "xdg") })).toBe(join(dir, "xdg", "huggingface", "token"));
  });

  it("a missing token file is no token; --token-env names one variable and reads no file", () => {
    expect(resolveHubConfig({ env: { HF_TOKEN_PATH: join(dir, "missing") } }).token).toBeUndefined();
    expect(resolveHubConfig({ env: {} }).token).toBeUndefined();
    expect(resolveHubConfig({ env: { HOME: home }, tokenEnv: "MY_TOKEN" }).token).toBeUndefined();
    expect(() => resolveHubConfig({ env: { HF_TOKEN_PATH: join(dir, "missing") }, requireToken: true })).toThrow(/hf auth login/);
  });

  it("names the file of a malformed stored token, never the token", () => {
    const bad = join(dir, "bad-token");
    writeFileSync(bad, "not-a-token-secret-value\n");
    let message = "";
    try {
      resolveHubConfig({ env: { HF_TOKEN_PATH: bad } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(bad);
    expect(message).not.toContain("not-a-token-secret-value");
  });
});
