import PizZip from 'pizzip';
import {
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFPage,
  PDFString,
  StandardFonts,
} from '@cantoo/pdf-lib';

/** Test documents built in memory, so each test controls exactly where a value sits. */

export const WORD_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A paragraph whose text is cut into one run per piece, as Word does at formatting changes. */
export function paragraph(pieces: string[]): string {
  const runs = pieces
    .map((piece, i) => {
      const bold = i % 2 === 1 ? '<w:rPr><w:b/></w:rPr>' : '';
      return `<w:r>${bold}<w:t xml:space="preserve">${xmlEscape(piece)}</w:t></w:r>`;
    })
    .join('');
  return `<w:p>${runs}</w:p>`;
}

export interface DocxParts {
  body: string[];
  header?: string[];
}

/** A DOCX with the given paragraphs (each already XML) in its body and, optionally, a header. */
export function buildDocx(parts: DocxParts): Uint8Array {
  const zip = new PizZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  );
  const headerRef = parts.header
    ? '<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr>'
    : '';
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${WORD_NS}>\n  <w:body>\n    ${parts.body.join('\n    ')}\n    ${headerRef}\n  </w:body>\n</w:document>`,
  );
  if (parts.header) {
    zip.file(
      'word/header1.xml',
      `<?xml version="1.0" encoding="UTF-8"?><w:hdr ${WORD_NS}>${parts.header.join('')}</w:hdr>`,
    );
    zip.file(
      'word/_rels/document.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>' +
        '</Relationships>',
    );
  }
  zip.file(
    'docProps/core.xml',
    '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Declaration</dc:title></cp:coreProperties>',
  );
  return zip.generate({ type: 'uint8array' });
}

/** Where the test puts a value in a PDF. */
export type PdfPlacement =
  'page-text' | 'form-field' | 'title' | 'bookmark' | 'annotation' | 'xmp' | 'nowhere';

/** A one-page PDF that says something harmless and holds `value` only where it is told to. */
export async function buildPdf(value: string, placement: PdfPlacement): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([612, 792]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Notice of hearing. Mail for the petitioner goes to PO Box 846.', {
    x: 50,
    y: 700,
    size: 11,
    font,
  });
  switch (placement) {
    case 'page-text':
      page.drawText(`Call ${value} after 6 pm`, { x: 50, y: 650, size: 11, font });
      break;
    case 'form-field':
      addTextField(doc, page, value);
      break;
    case 'title':
      doc.setTitle(value);
      break;
    case 'bookmark':
      addBookmark(doc, page, value);
      break;
    case 'annotation':
      addNoteAnnotation(doc, page, value);
      break;
    case 'xmp':
      addXmp(doc, value);
      break;
    case 'nowhere':
      break;
  }
  return doc.save();
}

function addTextField(doc: PDFDocument, page: PDFPage, value: string): void {
  const field = doc.getForm().createTextField('contact');
  field.setText(value);
  field.addToPage(page, { x: 50, y: 600, width: 200, height: 20 });
}

function addBookmark(doc: PDFDocument, page: PDFPage, title: string): void {
  const context = doc.context;
  const rootRef = context.nextRef();
  const itemRef = context.register(
    context.obj({
      Title: PDFHexString.fromText(title),
      Parent: rootRef,
      Dest: [page.ref, PDFName.of('Fit')],
    }),
  );
  context.assign(
    rootRef,
    context.obj({ Type: 'Outlines', First: itemRef, Last: itemRef, Count: PDFNumber.of(1) }),
  );
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
}

function addNoteAnnotation(doc: PDFDocument, page: PDFPage, contents: string): void {
  const annotation = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Text',
      Rect: [50, 550, 70, 570],
      Contents: PDFString.of(contents),
    }),
  );
  page.node.addAnnot(annotation);
}

function addXmp(doc: PDFDocument, value: string): void {
  const xmp =
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(value)}</rdf:li></rdf:Alt></dc:description>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
  const stream = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}
