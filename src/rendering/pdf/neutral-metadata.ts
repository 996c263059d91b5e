import { PDFDict, PDFDocument, PDFName } from '@cantoo/pdf-lib';

/**
 * Leaves a PDF's metadata saying nothing about who it is for or what made it: one generic title,
 * no author, subject, keywords, creator, producer or dates, and no XMP stream (an official form's
 * XMP can outlive the Info dictionary and is what most viewers show first).
 */
export function setNeutralMetadata(doc: PDFDocument, title: string): void {
  doc.setTitle(title);
  const infoRef = doc.context.trailerInfo.Info;
  const info = infoRef ? doc.context.lookup(infoRef) : undefined;
  if (info instanceof PDFDict) {
    for (const key of info.keys()) {
      if (key !== PDFName.Title) info.delete(key);
    }
  }
  doc.catalog.delete(PDFName.of('Metadata'));
}

/** Load options that stop pdf-lib from stamping its own Producer, Creator and dates. */
export const KEEP_METADATA = { updateMetadata: false } as const;
