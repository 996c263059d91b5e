import { CaseFacts } from '../case-facts/case-facts.dto';
import { evaluateCondition } from '../packs/condition';
import { sha256 } from '../common/sha256';
import { LoadedDocument, LoadedPack } from '../packs/pack-loader';
import { Audience, DocumentKind } from '../packs/pack-manifest';
import { resolveFormMapping } from '../packs/resolve-form-mapping';
import { DocxToPdfConverter } from '../rendering/convert/docx-to-pdf';
import { renderDocx } from '../rendering/docx/docx-renderer';
import { writeAttachmentPages } from '../rendering/pdf/attachment-pages';
import { MergePart, mergeWritten } from '../rendering/pdf/pdf-merge';
import { fillForm } from '../rendering/pdf/pdf-form-filler';
import type { WrittenPdf } from '../rendering/pdf/written-pdf';
import { CaseViewModel, buildCaseViewModel } from '../view-models/case-view-model';
import { BUNDLES, checkBundleBeforeRelease, isReleasedOutsideCourt } from './bundles';

export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  json: 'application/json',
} as const;

export interface PacketFile {
  /** Neutral name: a number and the document id, never a person's name. */
  name: string;
  mediaType: string;
  bytes: Buffer;
}

export interface PacketDocumentEntry {
  id: string;
  title: string;
  kind: DocumentKind;
  audiences: Audience[];
  files: { name: string; sha256: string; mediaType: string }[];
  template: { file: string; sha256: string };
}

export interface PacketBundleEntry {
  audience: Audience;
  title: string;
  documents: string[];
  /** The bundle as one PDF, or null when DOCX could not be converted. */
  file: { name: string; sha256: string } | null;
  /** True when the release check proved the bundle free of confidential values. */
  leakChecked: boolean;
}

export interface PacketManifest {
  pack: { id: string; version: string };
  createdAt: string;
  documents: PacketDocumentEntry[];
  /** The court filing as one PDF with a bookmark per document, or null without LibreOffice. */
  merged: { name: string; sha256: string } | null;
  bundles: PacketBundleEntry[];
  warnings: string[];
}

export interface BuiltPacket {
  files: PacketFile[];
  manifest: PacketManifest;
}

export const MANIFEST_FILE = 'manifest.json';

interface RenderedDocument {
  doc: LoadedDocument;
  files: PacketFile[];
  /** What the writer knows of each PDF file it wrote, by file name (see written-pdf.ts). */
  written: Map<string, WrittenPdf>;
  /** What goes into the merged PDF for this document, in order, already flattened. */
  pdfParts: MergePart[];
  docx?: PacketFile;
}

/**
 * Facts in, packet out: the one path every surface (API, CLI, batch) uses. Pure apart from the
 * optional LibreOffice conversion, so it can run in a worker and be tested without a server.
 */
export class PacketBuilder {
  constructor(private readonly converter: DocxToPdfConverter) {}

  async build(pack: LoadedPack, facts: CaseFacts, now: Date = new Date()): Promise<BuiltPacket> {
    const model = buildCaseViewModel(facts);
    const included = pack.documents.filter(
      (d) => d.def.when === undefined || evaluateCondition(d.def.when, model),
    );
    const rendered: RenderedDocument[] = [];
    for (const [i, doc] of included.entries()) {
      rendered.push(await this.renderDocument(doc, i + 1, model));
    }
    const warnings: string[] = [];
    const pdfOf = await this.docxAsPdf(rendered, warnings);
    const bundleFiles: PacketFile[] = [];
    const bundles: PacketBundleEntry[] = [];
    for (const bundle of BUNDLES) {
      const members = rendered.filter((r) => r.doc.def.audiences.includes(bundle.audience));
      if (members.length === 0) continue;
      const merged = pdfOf ? await mergeBundle(members, pdfOf) : null;
      await checkBundleBeforeRelease(facts, bundle.audience, [
        ...members.flatMap((r) =>
          r.files.map((f) => ({
            documentId: r.doc.def.id,
            name: f.name,
            bytes: f.bytes,
            written: r.written.get(f.name),
          })),
        ),
        ...(merged
          ? [{ documentId: bundle.title, name: bundle.file, bytes: merged.bytes, written: merged }]
          : []),
      ]);
      if (merged) {
        bundleFiles.push({
          name: bundle.file,
          mediaType: MEDIA_TYPES.pdf,
          bytes: asBuffer(merged),
        });
      }
      bundles.push({
        audience: bundle.audience,
        title: bundle.title,
        documents: members.map((r) => r.doc.def.id),
        file: merged ? { name: bundle.file, sha256: merged.sha256() } : null,
        leakChecked: isReleasedOutsideCourt(bundle.audience),
      });
    }
    const files = [...bundleFiles, ...rendered.flatMap((r) => r.files)];
    const court = bundles.find((b) => b.audience === Audience.Court);
    const manifest: PacketManifest = {
      pack: { id: pack.manifest.id, version: pack.manifest.version },
      createdAt: now.toISOString(),
      documents: rendered.map((r) => documentEntry(r)),
      merged: court?.file ?? null,
      bundles,
      warnings,
    };
    files.push({
      name: MANIFEST_FILE,
      mediaType: MEDIA_TYPES.json,
      bytes: Buffer.from(JSON.stringify(manifest, null, 2)),
    });
    return { files, manifest };
  }

  private async renderDocument(
    doc: LoadedDocument,
    position: number,
    model: CaseViewModel,
  ): Promise<RenderedDocument> {
    const prefix = `${String(position).padStart(2, '0')}-${doc.def.id}`;
    const template = templateBytes(doc);
    if (doc.def.kind === DocumentKind.Docx) {
      const docx: PacketFile = {
        name: `${prefix}.docx`,
        mediaType: MEDIA_TYPES.docx,
        bytes: renderDocx(template, model),
      };
      return { doc, files: [docx], written: new Map(), pdfParts: [], docx };
    }
    const values = resolveFormMapping(doc.mapping ?? { fields: {} }, model);
    const live = await fillForm(template, values, {
      flatten: false,
      alsoFlat: true,
      templateSha256: doc.sha256,
    });
    const name = `${prefix}.pdf`;
    const files: PacketFile[] = [
      { name, mediaType: MEDIA_TYPES.pdf, bytes: asBuffer(live.written) },
    ];
    const written = new Map([[name, live.written]]);
    const flat = live.flat as WrittenPdf;
    const pdfParts: MergePart[] = [{ title: doc.def.title, written: flat }];
    if (live.overflows.length > 0) {
      const attachment = writeAttachmentPages(captionOf(model), live.overflows);
      const attachmentName = `${prefix}-attachment.pdf`;
      files.push({ name: attachmentName, mediaType: MEDIA_TYPES.pdf, bytes: asBuffer(attachment) });
      written.set(attachmentName, attachment);
      pdfParts.push({ title: `${doc.def.title} (attachment)`, written: attachment });
    }
    return { doc, files, written, pdfParts };
  }

  /**
   * Every DOCX as PDF, converted once for all bundles. DOCX pages come from LibreOffice; without
   * it the packet holds every document but no merged PDFs, and says so.
   */
  private async docxAsPdf(
    rendered: RenderedDocument[],
    warnings: string[],
  ): Promise<Map<string, Uint8Array> | null> {
    const docxFiles = rendered.flatMap((r) => (r.docx ? [r.docx] : []));
    if (docxFiles.length > 0 && !this.converter.available()) {
      warnings.push(
        'The merged PDF was not made because LibreOffice is not installed; the DOCX and PDF files are complete.',
      );
      return null;
    }
    const converted = docxFiles.length
      ? await this.converter.convert(docxFiles.map((f) => ({ name: f.name, bytes: f.bytes })))
      : [];
    return new Map(docxFiles.map((f, i) => [f.name, converted[i]]));
  }
}

async function mergeBundle(
  members: RenderedDocument[],
  pdfOf: Map<string, Uint8Array>,
): Promise<WrittenPdf> {
  const parts = members.flatMap((r) => {
    const converted = r.docx ? pdfOf.get(r.docx.name) : undefined;
    return converted ? [{ title: r.doc.def.title, bytes: converted }] : r.pdfParts;
  });
  return mergeWritten(parts);
}

/** The written bytes as a Buffer without copying them (a form's copy is megabytes). */
function asBuffer(written: WrittenPdf): Buffer {
  const { bytes } = written;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function templateBytes(doc: LoadedDocument): Buffer {
  if (!doc.bytes) throw new Error(`template for ${doc.def.id} is not loaded`);
  return doc.bytes;
}

function captionOf(model: CaseViewModel) {
  return {
    court: model.court.name,
    caseNumber: model.court.caseNumber || undefined,
    petitioner: model.petitioner.fullName,
    respondent: model.respondent.fullName,
  };
}

function documentEntry(r: RenderedDocument): PacketDocumentEntry {
  return {
    id: r.doc.def.id,
    title: r.doc.def.title,
    kind: r.doc.def.kind,
    audiences: r.doc.def.audiences,
    files: r.files.map((f) => ({
      name: f.name,
      sha256: r.written.get(f.name)?.sha256() ?? sha256(f.bytes),
      mediaType: f.mediaType,
    })),
    template: { file: r.doc.def.file, sha256: r.doc.sha256 ?? '' },
  };
}
