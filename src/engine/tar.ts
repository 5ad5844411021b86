// A minimal ustar writer: regular files only, which is all swarmlab archives (a stack file
// for the Engine API's archive upload, a bug-report bundle). Not worth a dependency.

export interface TarEntry {
  name: string;
  content: Buffer;
}

/** The 512-byte ustar header of a regular file. */
export function tarHeader(name: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => block.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, mtime);
  field(148, 8, '        '); // the checksum is computed with its own field as spaces
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

export function tarArchive(entries: TarEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const { name, content } of entries) {
    if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
    parts.push(tarHeader(name, content.length, mtime), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
