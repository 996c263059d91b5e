import { Module, OnModuleInit } from '@nestjs/common';
import { ArtifactStore } from './artifact-store';

@Module({ providers: [ArtifactStore], exports: [ArtifactStore] })
export class StorageModule implements OnModuleInit {
  constructor(private readonly store: ArtifactStore) {}

  onModuleInit(): Promise<void> {
    return this.store.sweep();
  }
}
