import { DataSource } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { DataKeyEntity } from './data-key.entity';
import { MasterKeyConfigError, MasterKeyring } from './master-keys';

export interface RotationReport {
  /** Data keys re-wrapped under the current master key by this run. */
  rewrapped: number;
  /** Data keys that already were. */
  current: number;
  currentVersion: string;
}

/**
 * Re-wraps every data key not yet wrapped by the current master key. Ciphertexts of facts and
 * files are untouched (they name the data key, which does not change). Idempotent: a second run
 * re-wraps nothing. Every old version still in use must still be in the keyring; afterwards it
 * can be removed from MASTER_KEYS.
 */
export async function rotateMasterKey(
  ds: DataSource,
  keyring: MasterKeyring,
): Promise<RotationReport> {
  const repo = ds.getRepository(DataKeyEntity);
  const rows = await repo.find({ select: { id: true, masterKeyVersion: true } });
  const stale = rows.filter((r) => r.masterKeyVersion !== keyring.currentVersion);
  const missing = [...new Set(stale.map((r) => r.masterKeyVersion))].filter((v) => !keyring.has(v));
  if (missing.length > 0) {
    throw new MasterKeyConfigError(
      `MASTER_KEYS: data keys are wrapped by master key version(s) ${missing.join(', ')}, ` +
        'which are not configured; add them back to MASTER_KEYS to rotate',
    );
  }
  let rewrapped = 0;
  for (const { id } of stale) {
    // Read, re-wrap and write one key at a time, each in its own transaction: an interrupted
    // run leaves every key readable, and running again finishes the job.
    await ds.transaction(async (tx) => {
      const keys = tx.getRepository(DataKeyEntity);
      const row = await keys.findOneBy({ id });
      if (!row || row.masterKeyVersion === keyring.currentVersion) return;
      const binding = { dataKeyId: row.id, caseId: row.caseId };
      const plain = keyring.unwrap(row.wrappedKey, row.masterKeyVersion, binding);
      const { wrapped, version } = keyring.wrap(plain, binding);
      plain.fill(0);
      const result = await keys.update(
        { id: row.id, masterKeyVersion: row.masterKeyVersion },
        { wrappedKey: wrapped, masterKeyVersion: version },
      );
      if (result.affected !== 0) rewrapped += 1;
    });
  }
  return { rewrapped, current: rows.length - stale.length, currentVersion: keyring.currentVersion };
}

/** Cases whose facts were stored before encryption (plain JSON): sealed on their next write. */
export async function countUnencryptedCases(ds: DataSource): Promise<number> {
  return ds.getRepository(CaseEntity).createQueryBuilder('c').where("c.facts LIKE '{%'").getCount();
}
