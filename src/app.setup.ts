import { INestApplication } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Express, RequestHandler } from 'express';
import { json } from 'express';
import helmet from 'helmet';
import { AppErrorFilter } from './common/errors/app-error.filter';
import { StrictValidationPipe } from './common/validation/strict-validation.pipe';
import { AppConfig } from './config/app-config';
import { requestLogger } from './logging/request-logger.middleware';

/** Shared by the server and the end-to-end tests, so tests exercise the real pipeline. */
export function setupApp(app: INestApplication): void {
  // Behind one reverse proxy, req.ip is the client's address (X-Forwarded-For) instead of the
  // proxy's, so resume throttling counts each client rather than everyone at once.
  if (app.get(AppConfig).TRUST_PROXY) {
    (app.getHttpAdapter() as HttpServer<unknown, unknown, Express>)
      .getInstance()
      .set('trust proxy', 1);
  }
  app.use(requestLogger());
  app.use(apiHeaders(app.get(AppConfig).COOKIE_SECURE));
  app.use(json({ limit: '2mb' }));
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new AppErrorFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Protective-order document assembly')
      .setDescription('Case facts in, court packets out.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}

/**
 * Headers for everything the API answers: nothing it sends is a page to render or embed, and
 * case data is never cached. The web pages set their own (a CSP that allows their assets), and
 * the API description at /docs needs Swagger UI's scripts, so both are left to themselves.
 */
function apiHeaders(https: boolean): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
    xFrameOptions: { action: 'deny' },
  });
  return (req, res, next) => {
    if (req.path === '/docs' || req.path.startsWith('/docs/') || req.path === '/docs-json') {
      return next();
    }
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}
