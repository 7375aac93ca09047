import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { startChromium } from "../report/browser.js";
import { manyHostsLog } from "../report/many-hosts-log.js";
import { useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();
// UPDATE_REPORT_SCREENSHOTS=1 refreshes docs/images/report-*.png, which docs/report.md shows.
const IMAGES = new URL("../../docs/images/", import.meta.url);
let browser: { context: BrowserContext; close: () => Promise<void> } | undefined;

beforeAll(async () => {
  browser = await startChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a report; fails on any request that leaves the file, and on any script error. */
async function open(file: string, options: { dark?: boolean } = {}): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser!.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.emulateMedia({ colorScheme: options.dark ? "dark" : "light" });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`file://${file}`);
  return { page, requests, errors };
}

/** Checks the page asked for nothing outside its file and threw no error, then closes it. */
async function closeClean({ page, requests, errors }: Awaited<ReturnType<typeof open>>): Promise<void> {
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
}

/** Builds `name`.html from a generated log of `hosts` hosts (see manyHostsLog); returns the report's path. */
async function manyHostsReport(dir: string, hosts: number, name: string): Promise<string> {
  writeFileSync(path.join(dir, "many.ndjson"), manyHostsLog(hosts));
  const built = await runFap(env.hosts, dir, ["report", "many.ndjson", "-o", `${name}.html`]);
  expect(built.code, built.stderr).toBe(0);
  return path.join(dir, `${name}.html`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: false });
  expect(png.length).toBeGreaterThan(10_000);
  if (process.env.UPDATE_REPORT_SCREENSHOTS) {
    mkdirSync(IMAGES, { recursive: true });
    writeFileSync(new URL(name, IMAGES), png);
  }
}

async function deployLog(dir: string, name: string): Promise<string> {
  const run = await runFap(env.hosts, dir, ["deploy", "-s", "production", "--json"]);
  const log = path.join(dir, `${name}.ndjson`);
  writeFileSync(log, run.stdout);
  const html = path.join(dir, `${name}.html`);
  const built = await runFap(env.hosts, dir, ["report", log, "-o", html]);
  expect(built.code, built.stderr).toBe(0);
  return html;
}

describe("the HTML report in a browser", () => {
  it("renders a 3-host deploy, offline, and its hosts' commands open from the keyboard", async () => {
    const dir = await env.project("browser", "  updated: sleep 0.3");
    const opened = await open(await deployLog(dir, "ok"));
    const { page } = opened;
    expect(await page.locator("tbody#lane-rows > tr").count()).toBe(3);
    expect(await page.locator("#shown").textContent()).toBe("3 of 3 lanes shown");
    expect(await page.locator(".result-ok").first().textContent()).toBe("succeeded");
    await screenshot(page, "report-success.png");
    // Tab to the first host's <details> and open it with the keyboard: its commands show.
    await page.locator("details.host summary").first().focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("details.host").first().getAttribute("open")).toBe("");
    await expect.poll(() => page.locator("table.cmds code").first().isVisible()).toBe(true);
    await closeClean(opened);
  });

  it("renders a failed deploy with its failure and switch-backs, in dark mode", async () => {
    const dir = await env.project("browserfail", "  published: test %(host)s != host2");
    const opened = await open(await deployLog(dir, "failed"), { dark: true });
    const { page } = opened;
    expect(await page.locator(".error").textContent()).toContain("E_COMMAND_FAILED");
    expect(await page.locator(".mark.back").count()).toBe(3);
    expect(await page.locator(".bar.failed").count()).toBe(1);
    const background = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    expect(background).toBe("rgb(13, 17, 23)");
    await page.selectOption("#f-sort", "result");
    expect(await page.locator("tbody#lane-rows > tr").first().getAttribute("data-host")).toBe("host2");
    await screenshot(page, "report-failure.png");
    await closeClean(opened);
  });

  it("renders a 200-host deploy from a generated log, filters it by role and sorts it by a phase", async () => {
    const dir = await env.project("browsermany");
    const file = await manyHostsReport(dir, 200, "many");
    expect(readFileSync(file).length).toBeLessThan(3_000_000);
    const opened = await open(file);
    const { page } = opened;
    expect(await page.locator("tbody#lane-rows > tr").count()).toBe(200);
    // Compact lanes: 200 of them fit in a few screens.
    const height = await page.evaluate<number>('document.getElementById("lane-rows").getBoundingClientRect().height');
    expect(height).toBeLessThan(200 * 24);
    await page.selectOption("#f-role", "worker");
    expect(await page.locator("#shown").textContent()).toBe("40 of 200 lanes shown");
    await page.selectOption("#f-role", "");
    await page.selectOption("#f-phase", "updating");
    await page.selectOption("#f-sort", "phase");
    const first = await page.locator("tbody#lane-rows > tr:not(.hidden)").first().getAttribute("data-host");
    expect(await page.locator("section[aria-labelledby=slow]").textContent()).toContain(first!);
    await page.selectOption("#f-phase", "");
    await page.selectOption("#f-sort", "order");
    await screenshot(page, "report-200-hosts.png");
    await closeClean(opened);
  });

  it("shows the summary without JavaScript", async () => {
    const dir = await env.project("browsernojs");
    const file = await manyHostsReport(dir, 5, "nojs");
    // The page as a browser without JavaScript (or a mail client, or a printer) gets it.
    writeFileSync(file, readFileSync(file, "utf8").replace(/<script>[\s\S]*?<\/script>/, ""));
    const opened = await open(file);
    const plain = opened.page;
    expect(await plain.locator("dl.facts").textContent()).toContain("succeeded · 5 of 5 ok");
    expect(await plain.locator("tbody#lane-rows > tr").count()).toBe(5);
    expect(await plain.locator(".controls.js-only").isVisible()).toBe(false);
    await closeClean(opened);
  });
});
