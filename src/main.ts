import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { setupApp } from './app.setup';
import { loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    logger: ['error', 'warn', 'log'],
  });
  setupApp(app);
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  console.log(`Listening on http://${config.HOST}:${config.PORT} (API docs at /docs)`);
}

void bootstrap();
