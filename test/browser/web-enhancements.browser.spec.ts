import type { Page } from 'playwright-core';
import {
  BrowserTestServer,
  newWatchedContext,
  seriousAxeViolations,
  startBrowserTestServer,
} from '../support/browser';

/**
 * What site.js adds to the pages, in Chromium: follow-up questions appear as the answer that calls
 * for them is given (and the "answer only if" lines a page without script needs go away), and the
 * error summary takes focus so a screen reader announces it first.
 */

let server: BrowserTestServer;

beforeAll(async () => {
  server = await startBrowserTestServer();
});

afterAll(() => server.close());

async function go(page: Page, click: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(click)]);
}

function focusedId(page: Page): Promise<string> {
  return page.evaluate(
    'document.activeElement ? document.activeElement.id : ""',
  ) as Promise<string>;
}

describe('the page script', () => {
  it('shows follow-up questions only when they apply, and focuses the error summary', async () => {
    const { context, foreignRequests } = await newWatchedContext(server);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.baseUrl}/`);
    await page.check('#pack-generic-us');
    await go(page, '#start');
    await go(page, '#code-written');

    await go(page, 'button[name=action][value=next]');
    expect(await focusedId(page)).toBe('error-summary');
    await page.click('#error-summary a[href="#q-petitioner-name"]');
    expect(await focusedId(page)).toBe('q-petitioner-name');

    await page.fill('#q-petitioner-name', 'Ana Lucía Torres');
    await go(page, 'button[name=action][value=next]');
    // Date of birth given: the age question is not asked.
    expect(await page.isVisible('#q-petitioner-age')).toBe(true);
    await page.fill('#q-petitioner-birth-date', '1990-04-25');
    expect(await page.isVisible('#q-petitioner-age')).toBe(false);
    await go(page, 'button[name=action][value=next]');
    await page.check('#q-petitioner-gender-female');
    await go(page, 'button[name=action][value=next]');

    expect(await page.isVisible('#q-interpreter-language')).toBe(false);
    expect(await page.locator('.conditional-hint:visible').count()).toBe(0);
    await page.check('#q-interpreter-needed-yes');
    expect(await page.isVisible('#q-interpreter-language')).toBe(true);
    await page.check('#q-interpreter-needed-no');
    expect(await page.isVisible('#q-interpreter-language')).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);

    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('tells the server a petitioner who keeps typing is still there', async () => {
    const { context } = await newWatchedContext(server);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.baseUrl}/`);
    await page.check('#pack-generic-us');
    await go(page, '#start');
    await go(page, '#code-written');
    const alive = page.waitForRequest((r) => r.url().endsWith('/alive') && r.method() === 'POST');
    await page.clock.fastForward('02:30');
    await page.type('#q-petitioner-name', 'Ana');
    const request = await alive;
    expect((await request.response())?.status()).toBe(204);
    expect(new URL(page.url()).pathname).toBe('/step');
    await context.close();
  });
});
