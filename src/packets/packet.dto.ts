import type { PacketManifest } from './packet-builder';

export interface PacketResponse extends PacketManifest {
  id: string;
  caseId: string;
  /** Where each file can be downloaded, relative to the API root. */
  links: { merged: string | null; archive: string; files: Record<string, string> };
}
