import type { PacketManifest } from './packet-builder';

export interface PacketResponse extends PacketManifest {
  id: string;
  caseId: string;
  /** SHA-256 of the facts that made the packet: equal hashes, equal facts. */
  factsSha256: string | null;
  /** The staff account that generated it; null for the petitioner's own or a batch. */
  createdBy: string | null;
  /** Where each file can be downloaded, relative to the API root. */
  links: { merged: string | null; archive: string; files: Record<string, string> };
}
