import type { INestApplication } from '@nestjs/common';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CaseEntity } from '../../../src/cases/case.entity';
import { sha256 } from '../../../src/common/sha256';
import { AppConfig } from '../../../src/config/app-config';
import { DataKeyEntity } from '../../../src/crypto/data-key.entity';
import { PacketManifest } from '../../../src/packets/packet-builder';
import { PacketEntity } from '../../../src/packets/packet.entity';
import { allFiles } from '../../../src/packets/packets.service';
import { ArtifactStore } from '../../../src/storage/artifact-store';

export interface ConsistencyReport {
  cases: number;
  packets: number;
  /** Case rows without their data key: their facts could never be read again. */
  casesWithoutKey: string[];
  /** `packetId/name` of files a packet row's manifest lists but the disk does not hold. */
  missingFiles: string[];
  /** `packetId/name` of files that are there but do not decrypt to what the manifest says. */
  unreadableFiles: string[];
  /** Folders on disk that no row refers to. */
  orphanPacketFolders: string[];
  orphanCaseFolders: string[];
  temporaryFolders: string[];
}

/**
 * Compares the database with the disk, reading the tables and folders directly rather than
 * through the API, so a fault the API hides would still show. Every file of every packet row is
 * decrypted through the store, which authenticates it (AES-GCM), and its checksum compared.
 */
export async function checkConsistency(app: INestApplication): Promise<ConsistencyReport> {
  const ds = app.get(DataSource);
  const store = app.get(ArtifactStore);
  const root = storeRoot(app);
  const cases = await ds.getRepository(CaseEntity).find({ select: { id: true } });
  const keys = await ds.getRepository(DataKeyEntity).find({ select: { caseId: true } });
  const packets = await ds
    .getRepository(PacketEntity)
    .find({ select: { id: true, caseId: true, manifest: true } });
  const keyed = new Set(keys.map((k) => k.caseId));
  const caseIds = new Set(cases.map((c) => c.id));
  const packetOf = new Map(packets.map((p) => [p.id, p.caseId]));

  const report: ConsistencyReport = {
    cases: cases.length,
    packets: packets.length,
    casesWithoutKey: cases.filter((c) => !keyed.has(c.id)).map((c) => c.id),
    missingFiles: [],
    unreadableFiles: [],
    orphanPacketFolders: [],
    orphanCaseFolders: [],
    temporaryFolders: [],
  };
  for (const p of packets) {
    const manifest = JSON.parse(p.manifest) as PacketManifest;
    const sums = checksums(manifest);
    for (const f of allFiles(manifest)) {
      if (!existsSync(join(root, p.caseId, p.id, f.name))) {
        report.missingFiles.push(`${p.id}/${f.name}`);
        continue;
      }
      try {
        const bytes = await store.get(p.caseId, p.id, f.name);
        const expected = sums.get(f.name);
        if (expected !== undefined && sha256(bytes) !== expected) {
          report.unreadableFiles.push(`${p.id}/${f.name}`);
        }
      } catch {
        report.unreadableFiles.push(`${p.id}/${f.name}`);
      }
    }
  }
  for (const entry of existsSync(root) ? readdirSync(root) : []) {
    if (entry.startsWith('.tmp-')) {
      report.temporaryFolders.push(entry);
      continue;
    }
    if (!statSync(join(root, entry)).isDirectory()) continue;
    if (!caseIds.has(entry)) {
      report.orphanCaseFolders.push(entry);
      continue;
    }
    for (const packetId of readdirSync(join(root, entry))) {
      if (packetOf.get(packetId) !== entry) report.orphanPacketFolders.push(`${entry}/${packetId}`);
    }
  }
  return report;
}

/** What a consistent store looks like, for `toEqual` against a report. */
export function consistent(report: ConsistencyReport): ConsistencyReport {
  return {
    ...report,
    casesWithoutKey: [],
    missingFiles: [],
    unreadableFiles: [],
    orphanPacketFolders: [],
    orphanCaseFolders: [],
    temporaryFolders: [],
  };
}

export function storeRoot(app: INestApplication): string {
  return app.get(AppConfig).artifactsDir;
}

function checksums(m: PacketManifest): Map<string, string> {
  const sums = new Map<string, string>();
  for (const d of m.documents) for (const f of d.files) sums.set(f.name, f.sha256);
  for (const b of m.bundles) if (b.file) sums.set(b.file.name, b.file.sha256);
  if (m.merged) sums.set(m.merged.name, m.merged.sha256);
  return sums;
}
