import { INestApplication } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Express } from 'express';
import { json } from 'express';
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
