import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { ZipFile } from 'yazl';

const TEMPLATES = join(__dirname, '..', '..', 'templates');

/** A pack's files by their path in the pack. */
export type Files = Record<string, Buffer>;

/**
 * The bundled generic-us pack with the shared files it uses, as an organisation would zip it,
 * under a new version (and `id`). A line only this version prints, so a preview or packet shows
 * which version made it.
 */
export function genericPack(version: string, id = 'generic-us'): Files {
  const manifest = JSON.parse(
    readFileSync(join(TEMPLATES, 'generic-us', 'manifest.json'), 'utf8'),
  ) as Record<string, unknown>;
  const files: Files = {
    'manifest.json': Buffer.from(JSON.stringify({ ...manifest, id, version }, null, 2)),
  };
  for (const doc of manifest.documents as { file: string; mapping?: string }[]) {
    for (const path of [doc.file, doc.mapping].filter((p): p is string => p !== undefined)) {
      const folder = path.startsWith('common/') ? TEMPLATES : join(TEMPLATES, 'generic-us');
      files[path] = readFileSync(join(folder, path));
    }
  }
  files['petition.docx'] = editDocx(files['petition.docx'], 'word/document.xml', (xml) =>
    xml.replace(
      '<w:body>',
      `<w:body><w:p><w:r><w:t>Uploaded court pack ${version}</w:t></w:r></w:p>`,
    ),
  );
  return files;
}

export function editDocx(docx: Buffer, part: string, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(docx);
  zip.file(part, edit(zip.file(part)?.asText() ?? ''));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export async function zipOf(files: Files): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, bytes] of Object.entries(files)) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
