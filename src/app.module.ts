import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { BatchesModule } from './batches/batches.module';
import { CasesModule } from './cases/cases.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InterviewModule } from './interview/interview.module';
import { MattersModule } from './matters/matters.module';
import { PackUploadsModule } from './pack-uploads/pack-uploads.module';
import { PacketsModule } from './packets/packets.module';
import { RetentionModule } from './retention/retention.module';
import { StaffWebModule } from './staff-web/staff-web.module';
import { WebModule } from './web/web.module';

/** The module list reads as the architecture: config, storage of cases, packets, health. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CasesModule,
        PacketsModule,
        PackUploadsModule,
        MattersModule,
        HealthModule,
        InterviewModule,
        WebModule,
        RetentionModule,
        BatchesModule,
        AccountsModule,
        AuditModule,
        StaffWebModule,
      ],
    };
  }
}
