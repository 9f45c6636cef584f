import { crc32 } from 'node:zlib';

/** One file of a zip: its path inside the archive and its bytes (null: left out). */
export interface ZipEntry {
  name: string;
  read: () => Promise<Buffer | null>;
}

/** The classic zip format's limits (no ZIP64 here): 4 GiB of offsets, 65,535 entries. */
export const ZIP_MAX_BYTES = 0xffff_ffff;
export const ZIP_MAX_ENTRIES = 0xffff;

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * A zip archive written as it is read: entries are stored (not deflated: originals are JPEG,
 * PNG, WebP, HEIC, already compressed), each read only when the stream reaches it, so memory
 * holds one file at a time whatever the collection's size. Names are UTF-8 (flag bit 11).
 * Callers check ZIP_MAX_BYTES / ZIP_MAX_ENTRIES first; past them this throws mid-stream.
 */
export function zipStream(entries: Iterable<ZipEntry>, now = new Date()): ReadableStream<Uint8Array> {
  const { time, date } = dosDateTime(now);
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const iterator = entries[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          const directory = Buffer.concat(central);
          const end = Buffer.alloc(22);
          end.writeUInt32LE(0x06054b50, 0);
          end.writeUInt16LE(count, 8);
          end.writeUInt16LE(count, 10);
          end.writeUInt32LE(directory.length, 12);
          end.writeUInt32LE(offset, 16);
          controller.enqueue(directory);
          controller.enqueue(end);
          controller.close();
          return;
        }
        const bytes = await next.value.read();
        if (!bytes) continue; // an original that is gone: the listing still names it
        const name = Buffer.from(next.value.name, 'utf8');
        if (++count > ZIP_MAX_ENTRIES || offset + 30 + name.length + bytes.length > ZIP_MAX_BYTES) {
          throw new Error('the export is past the zip format’s 4 GiB / 65,535 files');
        }
        const crc = crc32(bytes);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4); // version needed: 2.0
        local.writeUInt16LE(0x0800, 6); // UTF-8 names
        local.writeUInt16LE(0, 8); // stored
        local.writeUInt16LE(time, 10);
        local.writeUInt16LE(date, 12);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(bytes.length, 18);
        local.writeUInt32LE(bytes.length, 22);
        local.writeUInt16LE(name.length, 26);
        const record = Buffer.alloc(46);
        record.writeUInt32LE(0x02014b50, 0);
        record.writeUInt16LE(20, 4); // made by: 2.0
        record.writeUInt16LE(20, 6);
        record.writeUInt16LE(0x0800, 8);
        record.writeUInt16LE(0, 10);
        record.writeUInt16LE(time, 12);
        record.writeUInt16LE(date, 14);
        record.writeUInt32LE(crc, 16);
        record.writeUInt32LE(bytes.length, 20);
        record.writeUInt32LE(bytes.length, 24);
        record.writeUInt16LE(name.length, 28);
        record.writeUInt32LE(offset, 42);
        central.push(record, name);
        offset += local.length + name.length + bytes.length;
        controller.enqueue(Buffer.concat([local, name]));
        controller.enqueue(bytes);
        return;
      }
    },
  });
}
