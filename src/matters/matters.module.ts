import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CasesModule } from '../cases/cases.module';
import { PacketsModule } from '../packets/packets.module';
import { CasesController } from './cases.controller';
import { MattersService } from './matters.service';
import { PacketsController } from './packets.controller';

/** What staff do with cases: scoped to their organisation and written to the audit trail. */
@Module({
  imports: [AccountsModule, CasesModule, PacketsModule],
  controllers: [CasesController, PacketsController],
  providers: [MattersService],
  exports: [MattersService],
})
export class MattersModule {}
