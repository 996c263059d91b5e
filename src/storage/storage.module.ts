import { Module, OnModuleInit } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { ArtifactStore } from './artifact-store';

/** Files at rest, and (re-exported) the per-case cipher that seals them and the case facts. */
@Module({
  imports: [CryptoModule],
  providers: [ArtifactStore],
  exports: [ArtifactStore, CryptoModule],
})
export class StorageModule implements OnModuleInit {
  constructor(private readonly store: ArtifactStore) {}

  onModuleInit(): Promise<void> {
    return this.store.sweep();
  }
}
