/**
 * The eval report renders in headless Chromium with the scatter and the tables visible and makes no
 * network request. Skipped where /usr/bin/chromium (or CHROMIUM_PATH) is not installed, as in CI.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampleReportHtml, screenshotReport } from "../scripts/report-screenshot.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("report in headless Chromium", () => {
  it("shows the scatter and the tables, with no external requests", async () => {
    const dir = makeTmpDir("lw-render-");
    const htmlPath = join(dir, "report.html");
    writeFileSync(htmlPath, sampleReportHtml());
    const result = await screenshotReport({ htmlPath, executablePath: CHROMIUM, width: 1240, height: 1400 });
    expect(result.externalRequests).toEqual([]);
    expect(result.visible.scatter).toBe(true);
    expect(result.visible.tables).toBeGreaterThanOrEqual(6);
    expect(result.visible.svgs).toBeGreaterThanOrEqual(3);
    // A real PNG of the viewport's size.
    expect(result.png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(result.png.readUInt32BE(16)).toBe(1240);
    expect(result.png.readUInt32BE(20)).toBe(1400);
  });
});
