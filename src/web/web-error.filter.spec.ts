import type { ArgumentsHost } from '@nestjs/common';
import { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { PageContext } from './layout';
import { FormRefused, WebErrorFilter } from './web-error.filter';
import type { WebSession } from './web-session';

interface Sent {
  status?: number;
  location?: string;
  body?: string;
  headers: Record<string, string>;
  cleared: boolean;
}

function run(exception: unknown, options: { session?: string; open?: boolean } = {}): Sent {
  const sent: Sent = { headers: {}, cleared: false };
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
    redirect(code: number, location: string) {
      sent.status = code;
      sent.location = location;
    },
  };
  const ctx: PageContext = {
    lang: 'es',
    quickExitUrl: 'https://exit.test/',
    idleSeconds: 900,
    path: '/',
    assetVersion: 'x',
  };
  const session = {
    sessionId: () => options.session,
    isOpen: () => options.open ?? false,
    clearSession: () => {
      sent.cleared = true;
    },
    page: () => ctx,
  } as unknown as WebSession;
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({}) as Request,
      getResponse: () => res as unknown as Response,
    }),
  } as unknown as ArgumentsHost;
  new WebErrorFilter(session).catch(exception, host);
  return sent;
}

describe('errors on the petitioner pages', () => {
  it('send a locked session to the code page and forget its cookie', () => {
    const locked = run(new AppError(ErrorCode.InterviewLocked, 'locked'), { session: 's' });
    expect(locked).toMatchObject({ status: 303, location: '/locked', cleared: true });
    const gone = run(AppError.notFound(), { session: 's', open: false });
    expect(gone).toMatchObject({ status: 303, location: '/locked', cleared: true });
  });

  it("answer as pages in the petitioner's language, never as JSON", () => {
    const missing = run(AppError.notFound(), { session: 's', open: true });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<html lang="es">');
    expect(missing.body).toContain('No se encontró la página');
    expect(missing.cleared).toBe(false);

    const invalid = run(AppError.validation([{ field: 'x', message: 'Escriba <b>algo</b>.' }]));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('Escriba &lt;b&gt;algo&lt;/b&gt;.');

    expect(run(new FormRefused()).status).toBe(403);
    expect(run(new HttpException('too big', 413)).body).toContain('demasiado');
  });

  it('say when to try again after too many tries', () => {
    const sent = run(
      new AppError(ErrorCode.TooManyAttempts, 'wait', [{ message: 'wait', retryAfterSeconds: 90 }]),
    );
    expect(sent.status).toBe(429);
    expect(sent.headers['Retry-After']).toBe('90');
  });

  it('keep what an unexpected error says to themselves', () => {
    const sent = run(new Error('Ana Lucía Torres lives at 12 Elm St'));
    expect(sent.status).toBe(500);
    expect(sent.body).not.toContain('Ana');
    expect(sent.body).toContain('Algo salió mal');
  });
});
