import { crc32 } from 'node:zlib';

/** For tests: archives no honest tool writes, to prove the reader refuses them. */

export interface ForgedEntry {
  name: string;
  /** The bytes as they sit in the archive (deflated when method is 8). */
  data: Buffer;
  method?: number;
  /** What `data` inflates to, for the CRC; `data` itself when stored. */
  plain?: Buffer;
  /** The uncompressed size the headers declare, true or not. */
  declaredSize?: number;
  /** General-purpose flags; UTF-8 names (0x0800) unless given. */
  flags?: number;
  /** "Version made by" high byte (3 = Unix) and external attributes, for symbolic links. */
  madeBy?: number;
  externalAttributes?: number;
  extra?: Buffer;
  /** Write no local header and point the central directory at this offset instead. */
  pointAt?: number;
}

export interface ForgedOptions {
  comment?: Buffer;
  /** Bytes after the end record, where no archive has any. */
  trailing?: Buffer;
}

export function forgedZip(entries: ForgedEntry[], options: ForgedOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const extra = e.extra ?? Buffer.alloc(0);
    const method = e.method ?? 0;
    const plain = e.plain ?? e.data;
    const crc = crc32(plain) >>> 0;
    const size = e.declaredSize ?? plain.length;
    const flags = e.flags ?? 0x0800;
    const at = e.pointAt ?? offset;
    if (e.pointAt === undefined) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(e.data.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(extra.length, 28);
      parts.push(local, name, extra, e.data);
      offset += local.length + name.length + extra.length + e.data.length;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(((e.madeBy ?? 0) << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE((e.externalAttributes ?? 0) >>> 0, 38);
    central.writeUInt32LE(at, 42);
    centrals.push(central, name, extra);
  }
  const directory = Buffer.concat(centrals);
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, directory, end, comment, options.trailing ?? Buffer.alloc(0)]);
}

/** The header of one stored entry, for nesting an entry inside another's data. */
export function storedLocalHeader(name: string, data: Buffer): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6);
  local.writeUInt32LE(crc32(data) >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([local, nameBytes]);
}
