import type { AxeResults, Result as AxeViolation } from 'axe-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, Page, Request, chromium } from 'playwright-core';
import { TestApp, createTestApp } from './app';

/**
 * Browser tests drive Debian's Chromium through playwright-core (which downloads no browser of its
 * own) against the whole service listening on a loopback port, on a fresh migrated database.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go: kept by CI as artifacts, never committed (see .gitignore). */
export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/**
 * A site that stands for the quick-exit destination. Requests to it are answered by the test
 * (`context.route`), so leaving works without the network and is visible to the test.
 */
export const EXIT_URL = 'https://exit.test/';

export interface BrowserTestServer {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  close: () => Promise<void>;
}

export async function startBrowserTestServer(
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<BrowserTestServer> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run "npm run setup" (or set CHROMIUM_PATH)`,
    );
  }
  const app = await createTestApp({ QUICK_EXIT_URL: EXIT_URL, ...extraEnv });
  await app.app.listen(0, '127.0.0.1');
  const { port } = (app.app.getHttpServer() as { address(): AddressInfo }).address();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container has no sandbox to drop into; the background services would only try
    // (and fail) to reach Google on a closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

export interface WatchedContext {
  context: BrowserContext;
  /** Every request the pages made to an origin other than the service's, by URL. */
  foreignRequests: string[];
}

/**
 * A new browser context (its own cookies and storage, like a new browser) that records every
 * request leaving the service's origin and answers the quick-exit site locally.
 */
export async function newWatchedContext(
  server: BrowserTestServer,
  options: { width?: number; height?: number; javaScriptEnabled?: boolean } = {},
): Promise<WatchedContext> {
  const context = await server.browser.newContext({
    viewport: { width: options.width ?? 375, height: options.height ?? 812 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    acceptDownloads: true,
  });
  const origin = new URL(server.baseUrl).origin;
  const foreignRequests: string[] = [];
  context.on('request', (request: Request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  await context.route(`${EXIT_URL}**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>Weather</title><p>Sunny</p></html>',
    }),
  );
  return { context, foreignRequests };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page against WCAG 2.1 A and AA and returns the serious and critical
 * violations. `evaluate` runs outside the page's Content-Security-Policy, so the service's strict
 * policy stays on while axe is injected.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (opts: object) => Promise<AxeResults> } })
      .axe;
    return axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
  });
  return results.violations
    .filter((v: AxeViolation) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** A full-page screenshot at the page's current width, saved as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const file = join(ARTIFACTS_DIR, `${name}-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
