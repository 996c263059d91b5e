import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { KEY_BYTES } from './aead';
import { DataKeyEntity } from './data-key.entity';
import { DataKey, decryptEnvelope, encryptEnvelope } from './envelope';
import { MasterKeyring } from './master-keys';

/** What a ciphertext is, bound into its additional data. */
export type Purpose =
  | { kind: 'facts' }
  | { kind: 'packet-facts'; packetId: string }
  | { kind: 'file'; packetId: string; name: string };

function contextOf(caseId: string, purpose: Purpose): string {
  switch (purpose.kind) {
    case 'facts':
      return `case:${caseId}|facts`;
    case 'packet-facts':
      return `case:${caseId}|packet-facts:${purpose.packetId}`;
    case 'file':
      return `case:${caseId}|file:${purpose.packetId}/${purpose.name}`;
  }
}

function describe(purpose: Purpose): string {
  switch (purpose.kind) {
    case 'facts':
      return 'case facts';
    case 'packet-facts':
      return 'the facts of a packet';
    case 'file':
      return `packet file ${purpose.name}`;
  }
}

/**
 * Envelope encryption per case: facts and packet files are sealed with the case's data key,
 * which is stored wrapped by the current master key. Unwrapped keys are cached in memory;
 * a data key never changes for its case (rotation re-wraps it), so the cache never goes stale.
 */
@Injectable()
export class CaseCipher {
  private readonly cache = new Map<string, DataKey>();

  constructor(
    @InjectRepository(DataKeyEntity) private readonly keys: Repository<DataKeyEntity>,
    @Inject(MasterKeyring) private readonly keyring: MasterKeyring,
  ) {}

  /** A fresh data key for a new case; the caller inserts the row after the case row. */
  newDataKey(caseId: string): { key: DataKey; row: DataKeyEntity } {
    const key: DataKey = { id: randomUUID(), key: randomBytes(KEY_BYTES) };
    const { wrapped, version } = this.keyring.wrap(key.key, { dataKeyId: key.id, caseId });
    return {
      key,
      row: {
        id: key.id,
        caseId,
        wrappedKey: wrapped,
        masterKeyVersion: version,
        createdAt: new Date(),
      },
    };
  }

  /** Call once the row of `newDataKey` is committed. */
  remember(caseId: string, key: DataKey): void {
    this.cache.set(caseId, key);
  }

  encrypt(caseId: string, key: DataKey, plaintext: Buffer, purpose: Purpose): Buffer {
    return encryptEnvelope(key, plaintext, contextOf(caseId, purpose));
  }

  decrypt(caseId: string, key: DataKey, envelope: Buffer, purpose: Purpose): Buffer {
    return decryptEnvelope(key, envelope, contextOf(caseId, purpose), describe(purpose));
  }

  /** The case's data key, unwrapped; null when the case has none (stored before encryption). */
  async find(caseId: string): Promise<DataKey | null> {
    const cached = this.cache.get(caseId);
    if (cached) return cached;
    const row = await this.keys.findOneBy({ caseId });
    if (!row) return null;
    const key: DataKey = {
      id: row.id,
      key: this.keyring.unwrap(row.wrappedKey, row.masterKeyVersion, {
        dataKeyId: row.id,
        caseId,
      }),
    };
    this.cache.set(caseId, key);
    return key;
  }

  /** The case's data key, made now if the case has none yet (a case stored before encryption). */
  async require(caseId: string): Promise<DataKey> {
    const found = await this.find(caseId);
    if (found) return found;
    const { key, row } = this.newDataKey(caseId);
    try {
      await this.keys.insert(row);
    } catch (e) {
      // Another request made it first (unique case_id): use theirs.
      const theirs = await this.find(caseId);
      if (theirs) return theirs;
      throw e;
    }
    this.remember(caseId, key);
    return key;
  }

  /** Crypto-shredding: the key row goes (inside the caller's transaction) and the cache forgets. */
  async destroy(caseId: string, manager?: EntityManager): Promise<void> {
    this.cache.delete(caseId);
    await (manager ? manager.getRepository(DataKeyEntity) : this.keys).delete({ caseId });
  }

  forget(caseId: string): void {
    this.cache.delete(caseId);
  }
}
