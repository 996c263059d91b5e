import request, { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { App } from 'supertest/types';
import { escapeHtml } from '../../src/web/html';
import { TestApp, createTestApp } from '../support/app';
import { staffApi } from '../support/staff';
import { binaryParser } from '../support/binary';
import { decodeHtml } from '../support/html-text';
import { interviewIndex } from '../support/interview-pages';
import { LIST_ITEMS, SCRIPT } from '../support/interview-script';
import { pdfText } from '../support/pdf-reading';

/**
 * The petitioner's pages driven with plain HTTP, the way a browser without JavaScript uses them:
 * every form is read from the page (hidden fields included), filled in, and posted as
 * application/x-www-form-urlencoded with the cookie the service set. Redirects are followed one
 * by one, so every response, redirects included, is checked for the safety headers.
 */

const NAME = 'Ana Lucía Torres';
const RESPONDENT = 'Luis Ramos';
/** Nothing in a title may name a person, repeat an answer or say what the papers are for. */
const TELLING_TITLE = /Ana|Torres|Luis|Ramos|Sof[ií]a|violen|abus|protec|orden|order/i;

// ---- a form-posting "browser" -------------------------------------------------------------------

interface Page {
  path: string;
  status: number;
  html: string;
  res: Response;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-z][a-z0-9-]*)(?:="([^"]*)")?/g))
    out[m[1]] = decodeHtml(m[2] ?? '');
  return out;
}

function title(html: string): string {
  return decodeHtml(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
}

function heading(html: string): string {
  return decodeHtml(/<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? '');
}

/** The forms of the page, each with the fields a browser would send. */
interface Form {
  action: string;
  fields: [string, string][];
  html: string;
}

function forms(html: string): Form[] {
  const body = html.slice(html.indexOf('<body'));
  return [...body.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const inner = m[2];
    const fields: [string, string][] = [];
    for (const input of inner.matchAll(/<input([^>]*)>/g)) {
      const a = attributes(input[1]);
      if (!a.name) continue;
      if ((a.type === 'radio' || a.type === 'checkbox') && !('checked' in a)) continue;
      fields.push([a.name, a.value ?? '']);
    }
    for (const area of inner.matchAll(/<textarea([^>]*)>\n?([\s\S]*?)<\/textarea>/g)) {
      fields.push([attributes(area[1]).name, decodeHtml(area[2])]);
    }
    return { action: attributes(m[1]).action, fields, html: inner };
  });
}

function formWith(page: Page, needle: string): Form {
  const form = forms(page.html).find((f) => f.html.includes(needle));
  if (!form) throw new Error(`no form with ${needle} on ${page.path}: ${page.html}`);
  return form;
}

function hidden(page: Page, name: string): string | undefined {
  for (const form of forms(page.html)) {
    const found = form.fields.find(([n]) => n === name);
    if (found) return found[1];
  }
  return undefined;
}

/** Every petitioner page says it must not be cached, sends no referrer, and allows only itself. */
function expectSafeHeaders(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toMatch(/https?:/);
}

class Browser {
  readonly seen: Page[] = [];
  readonly agent: TestAgent;

  constructor(http: App) {
    this.agent = request.agent(http);
  }

  async get(path: string): Promise<Page> {
    return this.follow(await this.agent.get(path), path);
  }

  /** Posts a form as a browser does: its fields, with these values set in place of theirs. */
  async submit(form: Form, set: [string, string][] = [], button?: [string, string]): Promise<Page> {
    const replaced = new Set(set.map(([n]) => n));
    const fields = form.fields.filter(([n]) => !replaced.has(n)).concat(set);
    if (button) fields.push(button);
    return this.post(form.action, fields);
  }

  async post(path: string, fields: [string, string][]): Promise<Page> {
    const body = new URLSearchParams(fields).toString();
    return this.follow(await this.agent.post(path).type('form').send(body), path);
  }

  private async follow(res: Response, path: string): Promise<Page> {
    expectSafeHeaders(res);
    if (res.status === 303) {
      const location = res.headers.location as string;
      expect(location).toMatch(/^\/[a-z]*$/); // neutral words only: no ids, names or codes
      return this.get(location);
    }
    const page = { path, status: res.status, html: res.text ?? '', res };
    if ((res.headers['content-type'] ?? '').startsWith('text/html')) {
      expect(title(page.html)).not.toMatch(TELLING_TITLE);
      this.seen.push(page);
    }
    return page;
  }
}

// ---- the interview's shape, to know which script answers a screen needs --------------------------

const { screenOf, lists } = interviewIndex('generic-us');

function screenKey(page: Page): string {
  if (page.html.includes('id="finish"')) return 'review';
  if (page.html.includes('name="action" value="done"')) {
    const list = lists.find((l) => l.prompts.some((p) => page.html.includes(escapeHtml(p))));
    return `list:${list?.sectionId ?? '?'}`;
  }
  const shown = hidden(page, '_shown') ?? '';
  return screenOf.get(shown.split(' ')[0]) ?? `other:${page.path}`;
}

/** The script's answers as form fields, only for the inputs the page actually has. */
function scriptFields(page: Page, answers: Record<string, unknown>): [string, string][] {
  const fields: [string, string][] = [];
  for (const [id, value] of Object.entries(answers)) {
    if (Array.isArray(value)) {
      for (const v of value) fields.push([id, String(v)]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [part, v] of Object.entries(value)) fields.push([`${id}.${part}`, String(v)]);
    } else {
      fields.push([id, String(value)]);
    }
  }
  for (const [name] of fields) {
    expect(page.html).toContain(`name="${name}"`);
  }
  return fields;
}

async function answerScreen(b: Browser, page: Page, answers: Record<string, unknown>) {
  const form = formWith(page, 'value="next"');
  const fields = scriptFields(page, answers);
  const names = new Set(fields.map(([n]) => n));
  // Ticked boxes of the page are replaced by the script's choice, as a person would change them.
  const kept = form.fields.filter(([n]) => !names.has(n));
  return b.post(form.action, [...kept, ...fields, ['action', 'next']]);
}

/** Answers every screen from the shared script until the review; returns the screens seen. */
async function walkToReview(
  b: Browser,
  start: Page,
  overrides: Record<string, Record<string, unknown>> = {},
): Promise<{ page: Page; seen: string[] }> {
  let page = start;
  const seen: string[] = [];
  for (let i = 0; i < 200; i++) {
    const key = screenKey(page);
    if (key === 'review') return { page, seen };
    expect(page.status).toBe(200);
    seen.push(key);
    if (key.startsWith('list:')) {
      const items = page.html.match(/name="action" value="edit"/g)?.length ?? 0;
      const action = items < (LIST_ITEMS[key.slice(5)] ?? 0) ? 'add' : 'done';
      page = await b.submit(formWith(page, `value="${action}"`), [], ['action', action]);
      continue;
    }
    // A screen the script leaves out is sent as the page has it (its questions are optional).
    page = await answerScreen(b, page, overrides[key] ?? SCRIPT[key] ?? {});
    if (page.status !== 200) throw new Error(`screen ${key} refused: ${page.html}`);
  }
  throw new Error('did not reach the review');
}

async function start(b: Browser, lang: 'en' | 'es'): Promise<{ page: Page; code: string }> {
  let page = await b.get('/');
  if (lang === 'es') {
    page = await b.submit(formWith(page, 'id="lang-es"'), [], ['lang', 'es']);
    expect(page.html).toContain('<html lang="es">');
  }
  page = await b.submit(formWith(page, 'name="pack"'), [['pack', 'generic-us']]);
  expect(page.path).toBe('/code');
  const code = decodeHtml(/<p id="resume-code"[^>]*>([^<]*)<\/p>/.exec(page.html)?.[1] ?? '');
  page = await b.get('/step');
  return { page, code };
}

// ---- the tests -----------------------------------------------------------------------------------

describe('petitioner pages without JavaScript', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ QUICK_EXIT_URL: 'https://exit.test/' });
    http = t.app.getHttpServer() as App;
  });

  afterAll(() => t.close());

  it('takes a petitioner through the whole interview in Spanish to a PDF that names them', async () => {
    const b = new Browser(http);
    const { page: first, code } = await start(b, 'es');
    expect(code.split(' ')).toHaveLength(8);
    expect(first.html).toContain('<html lang="es">');
    expect(heading(first.html)).toBe('Su nombre');
    expect(title(first.html)).toMatch(/^Ayuda con formularios judiciales – Paso 1 de \d+$/);

    const { page: review, seen } = await walkToReview(b, first);
    expect(seen).toEqual(
      expect.arrayContaining(['your-language', 'list:incidents', 'incident-story', 'signature']),
    );
    expect(review.html).toContain('<html lang="es">');
    expect(review.html).toContain(escapeHtml(NAME));
    expect(review.html).toContain('Preparar mis papeles');

    const done = await b.submit(formWith(review, 'id="finish"'));
    expect(done.path).toBe('/done');
    expect(done.status).toBe(200);
    expect(done.html).toContain('id="download"');
    expect(done.html).toContain('alguacil'); // the sheriff serves, for free
    expect(done.html).toContain('nunca tiene que entregarle papeles');

    const pdf = await b.agent.get('/download').buffer(true).parse(binaryParser).expect(200);
    expectSafeHeaders(pdf);
    expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="court-forms.pdf"');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(NAME);
    expect(text).toContain(RESPONDENT);

    // Sharing with an advocate: a code made on the page, used by the advocate's organisation,
    // and withdrawn from the same page.
    const staff = await staffApi(t.app);
    const sharing = await b.get('/share');
    expect(sharing.html).toContain('Ahora ninguna organización puede ver sus documentos.');
    const made = await b.submit(formWith(sharing, 'id="share-make"'));
    const shareCode = /<p class="code-line" id="share-code">([^<]+)<\/p>/.exec(made.html)?.[1];
    expect(shareCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const accepted = await staff.post('/shares').send({ code: shareCode }).expect(200);
    const sharedCase = (accepted.body as { caseId: string }).caseId;
    await staff.get(`/cases/${sharedCase}`).expect(200);
    const shared = await b.get('/share');
    expect(shared.html).toContain('Organizaciones que ahora pueden ver sus documentos: 1.');
    expect(shared.html).not.toContain(String(shareCode));
    await b.submit(formWith(shared, 'id="share-stop"'));
    await staff.get(`/cases/${sharedCase}`).expect(404);

    // Every page on the way: a neutral title, in the petitioner's language.
    for (const page of b.seen) {
      expect(title(page.html)).not.toMatch(TELLING_TITLE);
      if (page.path !== '/') expect(page.html).toContain('<html lang="es">');
    }
  });

  it('starts every page with the quick exit, an honest note, and a skip link', async () => {
    const b = new Browser(http);
    for (const path of ['/', '/safety', '/resume', '/locked', '/delete', '/deleted']) {
      const page = await b.get(path);
      expect(page.status).toBe(200);
      const body = page.html.slice(page.html.indexOf('<body'));
      const firstLink = /<a [^>]*>/.exec(body)?.[0] ?? '';
      expect(firstLink).toBe(
        '<a id="quick-exit" class="quick-exit" href="https://exit.test/" rel="noreferrer">',
      );
      expect(body).toContain('does not erase your browser history');
      expect(body).toContain('<a class="skip-link" href="#main">');
      expect(body).toContain('<main id="main"');
      expect(page.html).toContain('<script src="/assets/site.js?v=');
      expect(page.html).not.toMatch(/<script>|style="|<style|https?:\/\/(?!exit\.test)/);
    }
    const safety = await b.get('/safety');
    expect(safety.html).toContain('1-800-799-7233');
    expect(safety.html).toContain('88788');
  });

  it('serves its own script and stylesheet, uncached', async () => {
    const css = await request(http).get('/assets/site.css').expect(200);
    expectSafeHeaders(css);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).not.toMatch(/@import|url\(/);
    const js = await request(http).get('/assets/site.js').expect(200);
    expectSafeHeaders(js);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.text).toContain('location.replace');
  });

  it('refuses an empty answer with a summary linked to the field, and keeps what was typed', async () => {
    const b = new Browser(http);
    const { page } = await start(b, 'en');
    const refused = await answerScreen(b, page, { 'petitioner-name': '' });
    expect(refused.status).toBe(400);
    expect(title(refused.html)).toMatch(/^Error: Court forms helper – Step 1 of \d+$/);
    expect(refused.html).toContain(
      '<div id="error-summary" class="error-summary" role="alert" tabindex="-1"',
    );
    expect(refused.html).toContain('<a href="#q-petitioner-name">Please answer');
    const input = /<input[^>]*id="q-petitioner-name"[^>]*>/.exec(refused.html)?.[0] ?? '';
    expect(input).toContain('aria-invalid="true"');
    expect(input).toMatch(/aria-describedby="[^"]*q-petitioner-name-error"/);
    expect(refused.html).toContain('<p class="field-error" id="q-petitioner-name-error">');

    // An error in one part of an address names and links that part.
    let page2 = await answerScreen(b, refused, SCRIPT['your-name']);
    for (const key of ['your-birth', 'your-gender', 'your-language', 'mailing-kind']) {
      expect(screenKey(page2)).toBe(key);
      page2 = await answerScreen(b, page2, SCRIPT[key]);
    }
    expect(screenKey(page2)).toBe('mailing-address');
    const kept = await answerScreen(b, page2, {
      'mailing-address': { street: 'PO Box 4411', city: 'Fresno', state: 'ca', postalCode: '9' },
    });
    expect(kept.status).toBe(400);
    expect(kept.html).toContain('<a href="#q-mailing-address-postalCode">');
    expect(kept.html).toContain('value="PO Box 4411"');
    expect(kept.html).toMatch(/<fieldset[^>]*id="q-mailing-address"/);
  });

  it('shows follow-up questions in the page, saying when to answer them', async () => {
    const b = new Browser(http);
    const { page: first } = await start(b, 'en');
    let page = await answerScreen(b, first, SCRIPT['your-name']);
    page = await answerScreen(b, page, SCRIPT['your-birth']);
    page = await answerScreen(b, page, SCRIPT['your-gender']);
    expect(screenKey(page)).toBe('your-language');
    expect(page.html).toContain('name="interpreter-language"');
    expect(page.html).toContain('data-show-if="');
    expect(page.html).toContain(
      'Answer this only if you answered Yes to &quot;Do you need an interpreter at court?&quot;.',
    );
    // Saying "yes" without naming the language is refused, on the same page.
    const refused = await answerScreen(b, page, {
      'petitioner-language': 'Spanish',
      'interpreter-needed': 'yes',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('<a href="#q-interpreter-language">');
    expect(refused.html).toMatch(/<input[^>]*id="q-interpreter-needed-yes"[^>]*checked/);
  });

  it('renders a hostile answer as the text it is', async () => {
    const b = new Browser(http);
    const { page } = await start(b, 'en');
    const hostile = '<script>alert(1)</script> {{7*7}} "><img src=x onerror=alert(2)>';
    await answerScreen(b, page, { 'petitioner-name': hostile });
    const back = await b.post('/step', [
      ['_csrf', hidden(page, '_csrf') ?? ''],
      ['action', 'back'],
    ]);
    expect(back.html).not.toContain('<script>alert');
    expect(back.html).not.toContain('<img src=x');
    // Nothing evaluated the template syntax: no 49 in the page's text (tokens and asset hashes
    // live inside tags, where a 49 would be chance).
    expect(back.html.replace(/<[^>]*>/g, ' ')).not.toContain('49');
    expect(back.html).toContain(`value="${escapeHtml(hostile)}"`);

    const { page: review } = await walkToReview(b, back, {
      'your-name': { 'petitioner-name': hostile },
      'incident-story': { 'incident-narrative': hostile },
    });
    expect(review.html).toContain(escapeHtml(hostile));
    expect(review.html).not.toContain('<script>alert');
    expect(title(review.html)).toBe('Court forms helper – Last step: review');
  });

  it('refuses posts without the session token or from another site', async () => {
    const b = new Browser(http);
    await start(b, 'en');
    for (const token of [undefined, 'forged']) {
      const fields: [string, string][] = [
        ['petitioner-name', NAME],
        ['action', 'next'],
      ];
      if (token) fields.push(['_csrf', token]);
      const refused = await b.post('/step', fields);
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('This page has expired');
    }
    expect(heading((await b.get('/step')).html)).toBe('Your name');

    const crossSite = await b.agent
      .post('/start')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send('pack=generic-us');
    expect(crossSite.status).toBe(403);
    const otherOrigin = await request(http)
      .post('/resume')
      .set('Origin', 'https://attacker.example')
      .type('form')
      .send('code=a+b+c');
    expect(otherOrigin.status).toBe(403);
    expectSafeHeaders(otherOrigin);
  });

  it('locks, then asks for the code, and the code brings back the same screen', async () => {
    const b = new Browser(http);
    const { page: first, code } = await start(b, 'en');
    const second = await answerScreen(b, first, SCRIPT['your-name']);
    expect(heading(second.html)).toBe('Your age');

    const locked = await b.submit(formWith(second, 'Lock my answers'));
    expect(locked.path).toBe('/locked');
    expect(locked.html).toContain('This page was locked to protect your answers');
    expect(locked.html).not.toContain(NAME);
    const after = await b.agent.get('/step');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/locked');

    // A wrong code: refused, linked to the field, the code box keeps what was typed.
    const words = code.split(' ');
    const wrong = [...words.slice(0, 7), words[7] === 'zoo' ? 'abandon' : 'zoo'].join(' ');
    const refused = await b.submit(formWith(locked, 'name="code"'), [['code', wrong]]);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('<a href="#code">');
    expect(refused.html).toMatch(/<textarea[^>]*aria-invalid="true"/);

    const resumed = await b.submit(formWith(locked, 'name="code"'), [
      ['code', `  ${code.toUpperCase()}\n`],
    ]);
    expect(resumed.path).toBe('/step');
    expect(heading(resumed.html)).toBe('Your age');
    const back = await b.submit(formWith(resumed, 'value="back"'), [], ['action', 'back']);
    expect(back.html).toContain(`value="${escapeHtml(NAME)}"`);
  });

  it('applies a form posted twice (a double tap) only once', async () => {
    const b = new Browser(http);
    const { page } = await start(b, 'en');
    const form = formWith(page, 'value="next"');
    const fields: [string, string][] = [['petitioner-name', NAME]];
    const once = await b.submit(form, fields, ['action', 'next']);
    expect(heading(once.html)).toBe('Your age');
    const twice = await b.submit(form, fields, ['action', 'next']);
    expect(heading(twice.html)).toBe('Your age');
    expect(twice.html).not.toContain('error-summary');
    const back = await b.submit(form, [], ['action', 'back']);
    expect(heading(back.html)).toBe('Your age'); // "Back" from the old page is stale too
  });

  it('switches language keeping the answers, with <html lang> following', async () => {
    const b = new Browser(http);
    const { page } = await start(b, 'en');
    const next = await answerScreen(b, page, SCRIPT['your-name']);
    const spanish = await b.submit(formWith(next, 'id="lang-es"'), [], ['lang', 'es']);
    expect(spanish.path).toBe('/step');
    expect(spanish.html).toContain('<html lang="es">');
    expect(heading(spanish.html)).toBe('Su edad');
    const back = await b.submit(formWith(spanish, 'value="back"'), [], ['action', 'back']);
    expect(back.html).toContain(`value="${escapeHtml(NAME)}"`);
    expect(back.html).toContain('¿Cuál es su nombre completo?');
  });

  it('deletes the answers at once; the code then opens nothing', async () => {
    const b = new Browser(http);
    const { page, code } = await start(b, 'en');
    await answerScreen(b, page, SCRIPT['your-name']);
    const confirm = await b.get('/delete');
    expect(confirm.html).toContain('id="delete"');
    const deleted = await b.submit(formWith(confirm, 'id="delete"'));
    expect(deleted.path).toBe('/deleted');
    expect(deleted.html).toContain('Your answers and papers were deleted');
    expect((await b.agent.get('/step')).headers.location).toBe('/locked');
    const resume = await b.get('/resume');
    const refused = await b.submit(formWith(resume, 'name="code"'), [['code', code]]);
    expect(refused.status).toBe(400);
  });

  it('answers an oversized form with 413, as a page', async () => {
    const res = await request(http)
      .post('/resume')
      .type('form')
      .send(`code=${'a'.repeat(600 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expectSafeHeaders(res);
  });

  it('keeps the JSON API on its JSON parser', async () => {
    await request(http)
      .post('/interview')
      .send({ packId: 'generic-us', language: 'es' })
      .expect(201);
  });
});

describe('guessing resume codes', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ RESUME_MAX_FAILURES: '2' });
    http = t.app.getHttpServer() as App;
  });

  afterAll(() => t.close());

  it('is slowed down, with a page that says when to try again', async () => {
    const b = new Browser(http);
    const form = formWith(await b.get('/resume'), 'name="code"');
    let last: Page | undefined;
    for (let i = 0; i < 4; i++) {
      last = await b.submit(form, [
        ['code', 'abandon ability able about above absent absorb abstract'],
      ]);
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.html).toMatch(
      /Too many tries\. For your safety, wait \d+ minutes? and try again\./,
    );
    expect(last?.html).toContain('<a href="#code">');
  });
});
