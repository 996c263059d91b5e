import type { DocumentKind, PackManifest } from '../packs/pack-manifest';
import type { PackVersionEntity, PackVersionStatus } from './pack-version.entity';

/** One uploaded version of a pack as the API shows it. */
export interface PackVersionResponse {
  id: string;
  packId: string;
  version: string;
  title: string;
  /** `draft` until activated; `retired` once another version of the pack became active. */
  status: PackVersionStatus;
  /** SHA-256 of the archive as uploaded. */
  sha256: string;
  createdBy: string | null;
  createdAt: string;
  activatedAt: string | null;
  documents: { id: string; title: string; kind: DocumentKind }[];
}

export function toPackVersionResponse(row: PackVersionEntity): PackVersionResponse {
  const manifest = JSON.parse(row.manifest) as PackManifest;
  return {
    id: row.id,
    packId: row.packId,
    version: row.version,
    title: manifest.title,
    status: row.status,
    sha256: row.sha256,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    activatedAt: row.activatedAt ? new Date(row.activatedAt).toISOString() : null,
    documents: manifest.documents.map((d) => ({ id: d.id, title: d.title, kind: d.kind })),
  };
}
