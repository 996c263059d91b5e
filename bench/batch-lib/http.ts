/** The service over HTTP, as staff signed in with a session cookie (the staff pages' way in). */
export class ServiceClient {
  private cookie: string | undefined;

  constructor(readonly base: string) {}

  async signIn(email: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    const setCookie = res.headers.get('set-cookie');
    if (!setCookie) throw new Error('sign-in set no cookie');
    this.cookie = setCookie.split(';')[0];
  }

  async json<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: { json: unknown } | { bytes: Buffer; contentType: string },
    expect: number[] = [200],
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.Cookie = this.cookie;
    let payload: string | Buffer | undefined;
    if (body && 'json' in body) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['Content-Type'] = body.contentType;
      payload = body.bytes;
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body: payload });
    const text = await res.text();
    if (!expect.includes(res.status)) {
      throw new Error(
        `${method} ${path.split('?')[0]} answered ${res.status}: ${text.slice(0, 500)}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async text(path: string): Promise<string> {
    return (await this.bytes(path)).toString('utf8');
  }

  async bytes(path: string): Promise<Buffer> {
    const res = await fetch(`${this.base}${path}`, {
      headers: this.cookie ? { Cookie: this.cookie } : {},
    });
    if (res.status !== 200) throw new Error(`GET ${path.split('?')[0]} answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}
