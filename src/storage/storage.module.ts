import { Module, OnModuleInit } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { ARTIFACT_WRITER, ArtifactStore, durableWrite } from './artifact-store';

/** Files at rest, and (re-exported) the per-case cipher that seals them and the case facts. */
@Module({
  imports: [CryptoModule],
  providers: [ArtifactStore, { provide: ARTIFACT_WRITER, useValue: durableWrite }],
  exports: [ArtifactStore, CryptoModule],
})
export class StorageModule implements OnModuleInit {
  constructor(private readonly store: ArtifactStore) {}

  async onModuleInit(): Promise<void> {
    await this.store.sweep();
  }
}
