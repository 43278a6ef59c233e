/**
 * @module scripts/report-screenshot — renders an eval report in headless Chromium and saves a PNG.
 *
 *   npx tsx scripts/report-screenshot.ts [report.html] [--out shot.png] [--width 1240] [--height 1400] [--full-page]
 *
 * Without a report it renders a sample one (two LongBench-Write runs from the real prompts with synthetic
 * outputs, a LongWrite-Ruler run and the paper's published rows). Uses the system Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium) through playwright-core; it downloads no browser and the page
 * makes no network requests (any attempt is blocked and reported).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { renderReportHtml } from "../src/eval/report-html.js";
import { sampleEvalRun } from "../test/helpers/sample-eval-run.js";

export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

export interface ScreenshotResult {
  png: Buffer;
  /** Requests the page tried to make to anything but its own file (should be none). */
  externalRequests: string[];
  /** What is visible on the page (for checks). */
  visible: { scatter: boolean; tables: number; svgs: number };
}

/** The sample report the script shows when given no file. */
export function sampleReportHtml(): string {
  return renderReportHtml({
    runs: [
      sampleEvalRun({ label: "long-writer-sft", seed: 7, plateau: 14000, quality: 3.9, unparseableEvery: 23 }),
      sampleEvalRun({ label: "base-chat", seed: 11, plateau: 2200, quality: 4.2 }),
      sampleEvalRun({ label: "long-writer-sft (ruler)", seed: 5, plateau: 12000, quality: 3, benchmark: "ruler" }),
    ],
    published: true,
    title: "LongBench-Write evaluation report (sample)",
    now: () => new Date("2026-11-30T00:00:00Z"),
  });
}

/** Opens `htmlPath` in headless Chromium and screenshots it. */
export async function screenshotReport(options: {
  htmlPath: string;
  executablePath?: string;
  width?: number;
  height?: number;
  fullPage?: boolean;
}): Promise<ScreenshotResult> {
  const { htmlPath, executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", width = 1240, height = 1400, fullPage = false } = options;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    const self = pathToFileURL(resolve(htmlPath)).href;
    const externalRequests: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url === self) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    await page.goto(self, { waitUntil: "load" });
    // Passed as source text: tsx's transform would wrap a function argument in helpers the page lacks.
    const visible = (await page.evaluate(`(() => {
      const shown = (el) => { const box = el.getBoundingClientRect(); return box.width > 50 && box.height > 50; };
      return {
        scatter: [...document.querySelectorAll("svg.scatter")].some(shown),
        tables: [...document.querySelectorAll("table")].filter(shown).length,
        svgs: [...document.querySelectorAll("svg")].filter(shown).length,
      };
    })()`)) as ScreenshotResult["visible"];
    const png = await page.screenshot({ fullPage, type: "png" });
    return { png, externalRequests, visible };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string", default: "report-screenshot.png" },
      width: { type: "string", default: "1240" },
      height: { type: "string", default: "1400" },
      "full-page": { type: "boolean", default: false },
    },
  });
  let htmlPath = positionals[0];
  let temp: string | undefined;
  if (!htmlPath) {
    temp = mkdtempSync(join(tmpdir(), "lw-report-"));
    htmlPath = join(temp, "report.html");
    writeFileSync(htmlPath, sampleReportHtml());
  }
  try {
    readFileSync(htmlPath); // a clear error for a missing file before starting a browser
    const result = await screenshotReport({ htmlPath, width: Number(values.width), height: Number(values.height), fullPage: values["full-page"] });
    writeFileSync(values.out, result.png);
    process.stderr.write(
      `wrote ${values.out} (${result.png.length} bytes): scatter ${result.visible.scatter ? "visible" : "MISSING"}, ${result.visible.tables} tables, ${result.visible.svgs} charts` +
        `${result.externalRequests.length > 0 ? `; blocked external requests: ${result.externalRequests.join(", ")}` : ""}\n`,
    );
    if (!result.visible.scatter || result.visible.tables === 0 || result.externalRequests.length > 0) process.exitCode = 1;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
