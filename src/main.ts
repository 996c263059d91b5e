import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { setupApp } from './app.setup';
import { loadConfig } from './config/app-config';
import { JsonLogger } from './logging/json-logger';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(new JsonLogger(config.LOG_LEVEL));
  setupApp(app);
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  new Logger('Main').log({
    msg: 'listening (API docs at /docs)',
    host: config.HOST,
    port: config.PORT,
  });
}

void bootstrap();
