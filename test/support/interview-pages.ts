import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Language } from '../../src/interview/interview-definition';
import { loadInterviewForPack } from '../../src/interview/interview-loader';
import { LIST_ITEMS, SCRIPT } from './interview-script';

/**
 * Drives the interview's web pages the way a petitioner does: fills the inputs of whichever screen
 * is showing from the shared script, presses the visible buttons, and reports the screens it saw.
 */

const PACKS_DIR = resolve(__dirname, '..', '..', 'templates');

export interface InterviewIndex {
  screenOf: Map<string, string>;
  lists: { sectionId: string; prompts: string[] }[];
}

const indexes = new Map<string, InterviewIndex>();

/**
 * Which screen a question belongs to, and which list a section's add prompt announces. Kept per
 * pack: loading validates the whole interview, too slow to repeat on every screen of a walk.
 */
export function interviewIndex(packId: string): InterviewIndex {
  const known = indexes.get(packId);
  if (known) return known;
  const def = loadInterviewForPack(PACKS_DIR, packId);
  const screenOf = new Map<string, string>();
  const lists: { sectionId: string; prompts: string[] }[] = [];
  for (const section of def.sections) {
    for (const screen of section.screens) {
      for (const q of screen.questions) screenOf.set(q.id, screen.id);
    }
    if (section.list) {
      lists.push({
        sectionId: section.id,
        prompts: Object.values(section.list.addPrompt),
      });
    }
  }
  const index = { screenOf, lists };
  indexes.set(packId, index);
  return index;
}

/** Clicks and waits for the page the click leads to, so the next look sees the new page. */
export async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

export type ScreenKey = string;

/** The screen showing now: a screen id, `list:<section>`, `review`, or `other`. */
export async function currentScreen(page: Page, packId = 'generic-us'): Promise<ScreenKey> {
  if ((await page.locator('#finish').count()) > 0) return 'review';
  const { screenOf, lists } = interviewIndex(packId);
  if ((await page.locator('button[name=action][value=done]').count()) > 0) {
    const text = await page.locator('#main').innerText();
    const list = lists.find((l) => l.prompts.some((p) => text.includes(p)));
    if (list) return `list:${list.sectionId}`;
  }
  const names = await page
    .locator('#main form [name]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('name') ?? ''));
  for (const name of names) {
    const screen = screenOf.get(name.split('.')[0]);
    if (screen) return screen;
  }
  return 'other';
}

/** Fills the showing screen's inputs with `answers` (question id → answer, as a form sends it). */
export async function fillAnswers(page: Page, answers: Record<string, unknown>): Promise<void> {
  for (const [id, value] of Object.entries(answers)) {
    if (Array.isArray(value)) {
      for (const v of value) await page.check(`input[name="${id}"][value="${String(v)}"]`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [part, v] of Object.entries(value)) {
        await page.fill(`[name="${id}.${part}"]`, String(v));
      }
    } else {
      const type = await page.locator(`[name="${id}"]`).first().getAttribute('type');
      if (type === 'radio' || type === 'checkbox') {
        await page.check(`input[name="${id}"][value="${String(value)}"]`);
      } else {
        await page.fill(`[name="${id}"]`, String(value));
      }
    }
  }
}

export interface WalkOptions {
  packId?: string;
  /** Called on every screen before it is answered (axe checks, screenshots). */
  onScreen?: (key: ScreenKey) => Promise<void>;
  /** Answers that replace the script's for a screen. */
  overrides?: Record<string, Record<string, unknown>>;
  /** Stop before answering this screen. */
  stopAt?: ScreenKey;
}

/** Answers screens from the script until the review (or `stopAt`); returns the screens seen. */
export async function walkToReview(page: Page, options: WalkOptions = {}): Promise<ScreenKey[]> {
  const seen: ScreenKey[] = [];
  for (let i = 0; i < 200; i++) {
    const key = await currentScreen(page, options.packId);
    if (key === 'review' || key === options.stopAt) return seen;
    if (key === 'other') throw new Error(`not an interview screen: ${page.url()}`);
    seen.push(key);
    await options.onScreen?.(key);
    if (key.startsWith('list:')) {
      const section = key.slice('list:'.length);
      const items = await page.locator('button[name=action][value=edit]').count();
      await submit(
        page,
        `button[name=action][value=${items < (LIST_ITEMS[section] ?? 0) ? 'add' : 'done'}]`,
      );
      continue;
    }
    // A screen the script does not know is left blank: fine if it asks nothing required, and
    // the error summary below names the question if it does.
    await fillAnswers(page, options.overrides?.[key] ?? SCRIPT[key] ?? {});
    await submit(page, 'button[name=action][value=next]');
    const errors = page.locator('#error-summary');
    if ((await errors.count()) > 0) {
      throw new Error(`screen ${key} refused its answers: ${await errors.innerText()}`);
    }
  }
  throw new Error('the interview did not reach the review in 200 screens');
}

/** From the welcome page: language, where to file, start; returns the resume code shown. */
export async function startInterview(
  page: Page,
  baseUrl: string,
  lang: Language,
  packId = 'generic-us',
): Promise<string> {
  await page.goto(`${baseUrl}/`);
  if (lang === 'es') await submit(page, '#lang-es');
  await page.check(`#pack-${packId}`);
  await submit(page, '#start');
  const code = (await page.locator('#resume-code').innerText()).trim();
  await submit(page, '#code-written');
  return code;
}
