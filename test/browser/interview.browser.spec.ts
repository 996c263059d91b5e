import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import {
  AxeFinding,
  BrowserTestServer,
  EXIT_URL,
  newWatchedContext,
  screenshot,
  seriousAxeViolations,
  startBrowserTestServer,
} from '../support/browser';
import {
  currentScreen,
  fillAnswers,
  startInterview,
  submit,
  walkToReview,
} from '../support/interview-pages';
import { SCRIPT } from '../support/interview-script';
import { pdfText } from '../support/pdf-reading';

/**
 * The guided interview in a real browser (Debian's Chromium): what a petitioner on a phone does,
 * with the checks an advocate would make — the packet holds the answers, the code brings the
 * answers back, quick exit leaves no interview page behind, nothing is fetched from elsewhere,
 * and axe finds no serious or critical accessibility problem on any screen.
 */

const NAME = 'Ana Lucía Torres';
const RESPONDENT = 'Luis Ramos';

// A crawl of every screen with axe and three widths takes minutes on a busy 2-core machine.
jest.setTimeout(300_000);

let server: BrowserTestServer;

beforeAll(async () => {
  server = await startBrowserTestServer();
});

afterAll(() => server.close());

/** Downloads the packet from the end page and returns its text. */
async function downloadPacketText(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const path = await download.path();
  const text = await pdfText(await readFile(path));
  return { name: download.suggestedFilename(), text };
}

/** Runs axe and takes the phone and desktop screenshots of the page showing now. */
async function inspect(page: Page, name: string, findings: Record<string, AxeFinding[]>) {
  const found = await seriousAxeViolations(page);
  if (found.length > 0) findings[name] = found;
  await screenshot(page, name);
  const phone = page.viewportSize() ?? { width: 375, height: 812 };
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, name);
  await page.setViewportSize(phone);
  // Readable at the narrowest phones: nothing wider than the screen at 320 px.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  if (overflow > 0) findings[`${name} (320 px)`] = [horizontalScroll(overflow)];
  await page.setViewportSize(phone);
}

function horizontalScroll(px: number): AxeFinding {
  return { id: 'horizontal-scroll', impact: 'serious', help: `${px}px too wide`, targets: [] };
}

describe.each(['en', 'es'] as const)('a full interview in %s on a phone', (lang) => {
  it('reaches a downloaded packet that holds the answers, with every screen accessible', async () => {
    const { context, foreignRequests } = await newWatchedContext(server, { width: 375 });
    const page = await context.newPage();
    const findings: Record<string, AxeFinding[]> = {};

    await page.goto(`${server.baseUrl}/`);
    await inspect(page, `${lang}-welcome`, findings);
    const code = await startInterview(page, server.baseUrl, lang);
    expect(code.split(' ')).toHaveLength(8);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.locator('h1').first().innerText()).toBe(
      lang === 'es' ? 'Su nombre' : 'Your name',
    );

    // A refused answer: the summary names the question and links to its input.
    await page.fill('#q-petitioner-name', '');
    await submit(page, 'button[name=action][value=next]');
    expect(await page.locator('#error-summary a[href="#q-petitioner-name"]').count()).toBe(1);
    expect(await page.title()).toMatch(/^Error/);
    await inspect(page, `${lang}-error`, findings);

    let wordsExplained = '';
    const seen = await walkToReview(page, {
      onScreen: async (key) => {
        if (key === 'respondent-name') wordsExplained = await page.locator('.terms').innerText();
        await inspect(page, `${lang}-${key.replace(':', '-')}`, findings);
      },
    });
    // The legal word the screen uses is explained on it, in the petitioner's language.
    expect(wordsExplained).toContain(
      lang === 'es'
        ? 'La persona de quien usted quiere protección'
        : 'The person you want protection from',
    );
    expect(seen).toContain('incident-story');
    await inspect(page, `${lang}-review`, findings);
    expect(await page.locator('#main').innerText()).toContain(NAME);

    await submit(page, '#finish');
    await inspect(page, `${lang}-done`, findings);
    const packet = await downloadPacketText(page);
    expect(packet.name).toBe('court-forms.pdf');
    expect(packet.text).toContain(NAME);
    expect(packet.text).toContain(RESPONDENT);
    expect(packet.text).toContain(SCRIPT['incident-story']['incident-narrative'] as string);

    // The pages around the flow are held to the same bar.
    for (const path of ['/safety', '/resume', '/delete']) {
      await page.goto(`${server.baseUrl}${path}`);
      await inspect(page, `${lang}${path.replace('/', '-')}`, findings);
    }

    // Titles never carry a name, an answer or what the papers are for.
    const title = await page.title();
    expect(title).not.toMatch(/Ana|Torres|Ramos|violence|violencia|abuse|abuso|protect/i);

    expect(findings).toEqual({});
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});

describe('changing answers', () => {
  it('goes back to fix an answer and changes another from the review, and the packet follows', async () => {
    const { context } = await newWatchedContext(server);
    const page = await context.newPage();
    await startInterview(page, server.baseUrl, 'en');
    await fillAnswers(page, { 'petitioner-name': 'Ana Torez' });
    await submit(page, 'button[name=action][value=next]');
    await submit(page, 'button[name=action][value=back]');
    expect(await currentScreen(page)).toBe('your-name');
    expect(await page.inputValue('#q-petitioner-name')).toBe('Ana Torez');
    await fillAnswers(page, { 'petitioner-name': NAME });
    await submit(page, 'button[name=action][value=next]');
    await walkToReview(page);
    expect(await page.locator('#main').innerText()).toContain(NAME);

    await submit(page, '#finish');
    expect((await downloadPacketText(page)).text).toContain(RESPONDENT);

    // After the packet exists: change the respondent's name from the review and make it again.
    await page.goto(`${server.baseUrl}/step`);
    if ((await currentScreen(page)) !== 'review') await walkToReview(page);
    const change = page.locator('form:has(input[name=screenId][value=respondent-name]) button');
    await Promise.all([page.waitForNavigation(), change.first().click()]);
    expect(await currentScreen(page)).toBe('respondent-name');
    await fillAnswers(page, { 'respondent-name': 'Luis Ramírez' });
    await submit(page, 'button[name=action][value=next]');
    expect(await currentScreen(page)).toBe('review');
    expect(await page.locator('#main').innerText()).toContain('Luis Ramírez');
    // The old papers are not offered once an answer changed: the review says to make them again.
    expect(await page.locator('#papers-outdated').count()).toBe(1);
    await page.goto(`${server.baseUrl}/download`).catch(() => undefined);
    expect(await currentScreen(page)).toBe('review');
    await submit(page, '#finish');
    const packet = await downloadPacketText(page);
    expect(packet.text).toContain('Luis Ramírez');
    expect(packet.text).not.toContain(RESPONDENT);
    await context.close();
  });
});

describe('save and resume', () => {
  it('brings the answers back in a new browser with the code, and refuses a wrong code', async () => {
    const first = await newWatchedContext(server);
    const page = await first.context.newPage();
    const code = await startInterview(page, server.baseUrl, 'es');
    await walkToReview(page, { stopAt: 'respondent-name' });
    await first.context.close(); // the browser is closed

    const second = await newWatchedContext(server);
    const again = await second.context.newPage();
    await again.goto(`${server.baseUrl}/resume`);
    const words = code.split(' ');
    const wrong = [...words.slice(0, 7), words[7] === 'zoo' ? 'abandon' : 'zoo'].join(' ');
    await again.fill('#code', wrong);
    await submit(again, '#resume');
    expect(await again.locator('#error-summary a[href="#code"]').count()).toBe(1);
    expect(await again.locator('#code').getAttribute('aria-invalid')).toBe('true');

    // Written by hand: capitals and extra spaces are fine.
    await again.fill('#code', `  ${code.toUpperCase().replace(/ /g, '   ')} `);
    await submit(again, '#resume');
    expect(await currentScreen(again)).toBe('respondent-name');
    await submit(again, 'button[name=action][value=back]');
    expect(await again.getAttribute('html', 'lang')).toBe('es');
    await walkToReview(again);
    expect(await again.locator('#main').innerText()).toContain(NAME);
    expect(second.foreignRequests).toEqual([]);
    await second.context.close();
  });

  it('locks an idle page and asks for the code again', async () => {
    const { context } = await newWatchedContext(server);
    const page = await context.newPage();
    await page.clock.install();
    const code = await startInterview(page, server.baseUrl, 'en');
    await fillAnswers(page, { 'petitioner-name': NAME });
    await submit(page, 'button[name=action][value=next]');
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/locked`),
      page.clock.fastForward('16:00'),
    ]);
    expect(await page.locator('#main').innerText()).not.toContain(NAME);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The lock is on the server too: the answers page does not open without the code.
    await page.goto(`${server.baseUrl}/step`);
    expect(new URL(page.url()).pathname).toBe('/locked');
    await page.fill('#code', code);
    await submit(page, '#resume');
    await submit(page, 'button[name=action][value=back]');
    expect(await page.inputValue('#q-petitioner-name')).toBe(NAME);
    await context.close();
  });
});

describe('quick exit', () => {
  async function onAnswersPage(): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context } = await newWatchedContext(server);
    const page = await context.newPage();
    await page.goto(EXIT_URL); // where the petitioner was before
    await startInterview(page, server.baseUrl, 'en');
    await fillAnswers(page, { 'petitioner-name': NAME });
    await submit(page, 'button[name=action][value=next]');
    await page.evaluate("sessionStorage.setItem('draft-note', 'x')");
    return { page, close: () => context.close() };
  }

  async function expectLeftWithoutTrace(page: Page, historyBefore: number): Promise<void> {
    expect(page.url()).toBe(EXIT_URL);
    // location.replace: the interview page's history entry became the neutral site.
    expect(await page.evaluate<number>('history.length')).toBe(historyBefore);
    // The entry before it is an earlier page of the visit: it shows no answers, and the page's
    // storage is gone.
    await page.goBack();
    expect(page.url().startsWith(server.baseUrl)).toBe(true);
    expect(await page.locator('body').innerText()).not.toContain(NAME);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('draft-note')")).toBeNull();
  }

  it('is the first thing in the tab order and leaves on a click', async () => {
    const { page, close } = await onAnswersPage();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe(
      'quick-exit',
    );
    expect(await page.locator('#quick-exit').getAttribute('href')).toBe(EXIT_URL);
    const before = await page.evaluate<number>('history.length');
    await Promise.all([page.waitForURL(EXIT_URL), page.click('#quick-exit')]);
    await expectLeftWithoutTrace(page, before);
    await close();
  });

  it('leaves on the Escape key', async () => {
    const { page, close } = await onAnswersPage();
    const before = await page.evaluate<number>('history.length');
    await Promise.all([page.waitForURL(EXIT_URL), page.keyboard.press('Escape')]);
    await expectLeftWithoutTrace(page, before);
    await close();
  });
});

describe('without JavaScript', () => {
  it('still reaches a packet', async () => {
    const { context, foreignRequests } = await newWatchedContext(server, {
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await startInterview(page, server.baseUrl, 'es');
    await walkToReview(page);
    await submit(page, '#finish');
    const packet = await downloadPacketText(page);
    expect(packet.text).toContain(NAME);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
