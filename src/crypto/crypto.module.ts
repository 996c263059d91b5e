import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { CaseCipher } from './case-cipher';
import { DataKeyEntity } from './data-key.entity';
import { MasterKeyring, loadMasterKeyring } from './master-keys';

@Module({
  imports: [TypeOrmModule.forFeature([DataKeyEntity])],
  providers: [
    {
      provide: MasterKeyring,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        loadMasterKeyring(config, (m) => new Logger('MasterKey').warn(m)),
    },
    CaseCipher,
  ],
  exports: [CaseCipher, MasterKeyring],
})
export class CryptoModule {}
