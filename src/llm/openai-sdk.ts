/**
 * @module llm/openai-sdk — the openai SDK, loaded when the first LLM client is created: it is ~370 KB of JavaScript
 * that every command importing the package would otherwise parse at start, calls to a model or not (~7 ms of
 * the ~90 ms the package entry takes to import).
 */
type OpenAiSdk = typeof import("openai");

let loading: Promise<OpenAiSdk> | undefined;
let loaded: OpenAiSdk | undefined;

/** The SDK's module (loaded once). */
export function loadOpenAiSdk(): Promise<OpenAiSdk> {
  loading ??= import("openai").then((sdk) => {
    loaded = sdk;
    return sdk;
  });
  return loading;
}

/** The SDK's module once `loadOpenAiSdk` has loaded it, else undefined (so an error cannot be one of its classes). */
export function loadedOpenAiSdk(): OpenAiSdk | undefined {
  return loaded;
}
