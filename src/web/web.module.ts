import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { InterviewModule } from '../interview/interview.module';
import { PacksModule } from '../packs/packs.module';
import { InterviewForms } from './interview-forms';
import { PendingCodes } from './pending-codes';
import { WebAssets } from './web-assets';
import { WebErrorFilter } from './web-error.filter';
import { WebFormBodyMiddleware, WebHeadersMiddleware } from './web-middleware';
import { WebSession } from './web-session';
import { WebController } from './web.controller';

/** The petitioner's pages: server-rendered HTML over the same interview the JSON API drives. */
@Module({
  imports: [InterviewModule, PacksModule],
  controllers: [WebController],
  providers: [WebSession, WebAssets, PendingCodes, InterviewForms, WebErrorFilter],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Headers first, so even a refused body answers with no-store and the policy.
    consumer.apply(WebHeadersMiddleware, WebFormBodyMiddleware).forRoutes(WebController);
  }
}
