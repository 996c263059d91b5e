import request, { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { App } from 'supertest/types';
import { decodeHtml } from '../../support/html-text';

/**
 * The petitioner's pages posted to as a browser without JavaScript does: forms read from the
 * page (hidden fields included), sent url-encoded with the session cookie, redirects followed.
 */

export interface Page {
  path: string;
  status: number;
  html: string;
  res: Response;
}

export interface Form {
  action: string;
  fields: [string, string][];
  html: string;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-z][a-z0-9-_]*)(?:="([^"]*)")?/g)) {
    out[m[1]] = decodeHtml(m[2] ?? '');
  }
  return out;
}

export function forms(html: string): Form[] {
  const body = html.slice(html.indexOf('<body'));
  return [...body.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const fields: [string, string][] = [];
    for (const input of m[2].matchAll(/<input([^>]*)>/g)) {
      const a = attributes(input[1]);
      if (!a.name) continue;
      if ((a.type === 'radio' || a.type === 'checkbox') && !('checked' in a)) continue;
      fields.push([a.name, a.value ?? '']);
    }
    for (const area of m[2].matchAll(/<textarea([^>]*)>\n?([\s\S]*?)<\/textarea>/g)) {
      fields.push([attributes(area[1]).name, decodeHtml(area[2])]);
    }
    return { action: attributes(m[1]).action, fields, html: m[2] };
  });
}

export function formWith(page: Page, needle: string): Form {
  const form = forms(page.html).find((f) => f.html.includes(needle));
  if (!form) throw new Error(`no form with ${needle} on ${page.path}`);
  return form;
}

export class FormBrowser {
  readonly agent: TestAgent;

  constructor(http: App) {
    this.agent = request.agent(http);
  }

  async get(path: string): Promise<Page> {
    return this.follow(await this.agent.get(path), path);
  }

  /** The form's own fields, with `set` replacing any of the same name. */
  async submit(form: Form, set: [string, string][] = []): Promise<Page> {
    const replaced = new Set(set.map(([n]) => n));
    return this.post(form.action, [...form.fields.filter(([n]) => !replaced.has(n)), ...set]);
  }

  async post(path: string, fields: [string, string][]): Promise<Page> {
    const body = new URLSearchParams(fields).toString();
    return this.follow(await this.agent.post(path).type('form').send(body), path);
  }

  /** A raw url-encoded body, for bodies no form would send. */
  async postRaw(path: string, body: string): Promise<Page> {
    return this.follow(await this.agent.post(path).type('form').send(body), path);
  }

  private async follow(res: Response, path: string): Promise<Page> {
    if (res.status === 303) return this.get(res.headers.location as string);
    return { path, status: res.status, html: res.text ?? '', res };
  }

  /** From the welcome page to the first question of the generic pack. */
  async start(): Promise<Page> {
    const welcome = await this.get('/');
    const code = await this.submit(formWith(welcome, 'name="pack"'), [['pack', 'generic-us']]);
    expect(code.path).toBe('/code');
    return this.get('/step');
  }
}
