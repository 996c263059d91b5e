/**
 * A process that does one step of the service's own write path and then stops, to be killed
 * with SIGKILL by the fault test at that exact point, as a crash would stop it:
 *
 * - `mid-write`: `ArtifactStore.put` of a large packet, stopped with one file half written;
 * - `after-files`: a packet's files completely written and renamed into place, its row not yet
 *   (the moment `PacketsService.prepare` returns and `generate` has not inserted);
 * - `case-deleted`: a case's row and data key deleted, its files not yet (inside
 *   `CasesService.delete`, between the transaction and `ArtifactStore.deleteCase`).
 *
 * Prints `READY <detail>` on stdout at the point where it waits to be killed.
 * Usage: node -r register-ts.js crash-writer.child.ts <scenario> <caseId> [packetId]
 * with DATA_DIR (and DATABASE_URL for PostgreSQL) in the environment.
 */
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { CaseEntity } from '../../../../src/cases/case.entity';
import { CasesRepository } from '../../../../src/cases/cases.repository';
import { loadConfig } from '../../../../src/config/app-config';
import { CaseCipher } from '../../../../src/crypto/case-cipher';
import { DataKeyEntity } from '../../../../src/crypto/data-key.entity';
import { loadMasterKeyring } from '../../../../src/crypto/master-keys';
import { dataSourceOptions } from '../../../../src/database/data-source-options';
import {
  ArtifactStore,
  ArtifactWriter,
  durableWrite,
} from '../../../../src/storage/artifact-store';

/** Files of the large packet, and the one left half written. */
const FILES = 24;
const FILE_BYTES = 2 * 1024 * 1024;
const STOP_AT = 9;

function ready(detail: string): Promise<never> {
  process.stdout.write(`READY ${detail}\n`);
  // Kept alive by the timer until the test kills it; it never resolves.
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}

async function main(): Promise<void> {
  const [scenario, caseId, packetId] = process.argv.slice(2);
  const config = loadConfig();
  const ds = await new DataSource(dataSourceOptions(config)).initialize();
  const keyring = loadMasterKeyring(config, () => undefined);
  const cipher = new CaseCipher(ds.getRepository(DataKeyEntity), keyring);
  const files = Array.from({ length: FILES }, (_, i) => ({
    name: `${String(i + 1).padStart(2, '0')}-large.pdf`,
    bytes: randomBytes(FILE_BYTES),
  }));

  switch (scenario) {
    case 'mid-write': {
      let written = 0;
      const stopping: ArtifactWriter = async (path, bytes) => {
        if (++written < STOP_AT) return durableWrite(path, bytes);
        // Half the file reaches the disk, as when a process dies inside write(2).
        const handle = await open(path, 'wx', 0o600);
        await handle.write(bytes, 0, bytes.length / 2);
        await handle.sync();
        await ready(path);
      };
      await new ArtifactStore(config, cipher, stopping).put(caseId, packetId, files);
      break;
    }
    case 'after-files': {
      await new ArtifactStore(config, cipher).put(caseId, packetId, files);
      await ready(packetId);
      break;
    }
    case 'case-deleted': {
      const cases = new CasesRepository(ds.getRepository(CaseEntity));
      await cases.delete(caseId, (tx) => cipher.destroy(caseId, tx));
      await ready(caseId);
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
