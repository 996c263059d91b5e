import type { Response } from 'supertest';

/** supertest parser that keeps a binary body as a Buffer. */
export function binaryParser(
  res: Response,
  callback: (err: Error | null, body: Buffer) => void,
): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
