import type { Page } from 'playwright-core';
import { AxeFinding, screenshot, seriousAxeViolations } from './browser';

/** What axe and the width check found, by the name of the page they looked at. */
export type Findings = Record<string, AxeFinding[]>;

export type Inspect = (page: Page, name: string, findings: Findings) => Promise<void>;

/**
 * Axe, a screenshot at the page's width (and at a desktop's, when `desktop`), and no sideways
 * scrolling at 320 px; screenshots are named `${prefix}-${name}`.
 */
export function staffInspector(prefix: string, options: { desktop: boolean }): Inspect {
  return async (page, name, findings) => {
    const found = await seriousAxeViolations(page);
    if (found.length > 0) findings[name] = found;
    await screenshot(page, `${prefix}-${name}`);
    const phone = page.viewportSize() ?? { width: 375, height: 812 };
    if (options.desktop) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, `${prefix}-${name}`);
    }
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    if (overflow > 0) {
      findings[`${name} (320 px)`] = [
        { id: 'horizontal-scroll', impact: 'serious', help: `${overflow}px too wide`, targets: [] },
      ];
    }
    await page.setViewportSize(phone);
  };
}

/** Clicks and waits for the page it leads to, so the next step sees the new page. */
export async function go(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Fills in and sends the sign-in form of the page already open. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await go(page, '#sign-in');
}

/** Signs in from the sign-in page, then follows the staff menu's link named `section`. */
export async function signInTo(
  page: Page,
  baseUrl: string,
  account: { email: string; password: string },
  section: string,
): Promise<void> {
  await page.goto(`${baseUrl}/staff/login`);
  await signIn(page, account.email, account.password);
  await go(page, `a.staff-nav-link:has-text("${section}")`);
}
