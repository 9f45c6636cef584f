/**
 * Just enough ISO-BMFF editing to give a HEIC an `irot` (rotation) property — the way an
 * iPhone stores a portrait photo: sensor-landscape pixels plus "turn this 90°". No encoder
 * available offline writes irot, so the test adds it to the committed fixture.
 */
interface Box {
  type: string;
  start: number;
  size: number;
  /** Where the payload starts (after size, type and, for full boxes, version/flags). */
  body: number;
}

function boxesIn(buf: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  for (let at = start; at + 8 <= end; ) {
    const size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (size < 8 || at + size > end) throw new Error(`bad ${type} box at ${at}`);
    const full = type === 'meta' || type === 'iloc' || type === 'ipma' || type === 'pitm';
    boxes.push({ type, start: at, size, body: at + 8 + (full ? 4 : 0) });
    at += size;
  }
  return boxes;
}

function find(boxes: Box[], type: string): Box {
  const box = boxes.find((b) => b.type === type);
  if (!box) throw new Error(`no ${type} box`);
  return box;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

function readUInt(buf: Buffer, at: number, bytes: number): number {
  return bytes === 0 ? 0 : bytes === 4 ? buf.readUInt32BE(at) : bytes === 2 ? buf.readUInt16BE(at) : Number(buf.readBigUInt64BE(at));
}
function writeUInt(buf: Buffer, at: number, bytes: number, value: number) {
  if (bytes === 4) buf.writeUInt32BE(value, at);
  else if (bytes === 8) buf.writeBigUInt64BE(BigInt(value), at);
  else if (bytes !== 0) throw new Error(`unsupported field size ${bytes}`);
}

/** Returns a copy of `heic` whose primary image carries `irot` = quarterTurns × 90° anticlockwise. */
export function withIrot(heic: Buffer, quarterTurns: 1 | 2 | 3): Buffer {
  const top = boxesIn(heic, 0, heic.length);
  const meta = find(top, 'meta');
  const metaKids = boxesIn(heic, meta.body, meta.start + meta.size);
  const iprp = find(metaKids, 'iprp');
  const iprpKids = boxesIn(heic, iprp.body, iprp.start + iprp.size);
  const ipco = find(iprpKids, 'ipco');
  const ipma = find(iprpKids, 'ipma');
  const pitm = find(metaKids, 'pitm');
  const primaryId = heic.readUInt16BE(pitm.body);

  // 1. The new property goes last in ipco; properties are numbered from 1.
  const propertyIndex = boxesIn(heic, ipco.body, ipco.start + ipco.size).length + 1;
  const newIpco = box('ipco', heic.subarray(ipco.body, ipco.start + ipco.size), box('irot', Buffer.from([quarterTurns])));

  // 2. Associate it with the primary item (ipma v0, 7-bit indices: enough for a fixture).
  const ipmaVersionFlags = heic.readUInt32BE(ipma.start + 8);
  if (ipmaVersionFlags !== 0) throw new Error('fixture ipma must be version 0 without flags');
  const entries: Buffer[] = [];
  let at = ipma.body + 4;
  const entryCount = heic.readUInt32BE(ipma.body);
  for (let i = 0; i < entryCount; i++) {
    const itemId = heic.readUInt16BE(at);
    const count = heic.readUInt8(at + 2);
    const assoc = [...heic.subarray(at + 3, at + 3 + count)];
    at += 3 + count;
    if (itemId === primaryId) assoc.push(0x80 | propertyIndex); // essential: must not be ignored
    entries.push(Buffer.from([itemId >> 8, itemId & 0xff, assoc.length, ...assoc]));
  }
  const countBuf = Buffer.alloc(4);
  countBuf.writeUInt32BE(entryCount);
  const newIpma = box('ipma', Buffer.alloc(4), countBuf, ...entries);

  const newIprp = box(
    'iprp',
    ...iprpKids.map((k) => (k === ipco ? newIpco : k === ipma ? newIpma : heic.subarray(k.start, k.start + k.size))),
  );
  const delta = newIprp.length - iprp.size;

  // 3. Everything after the meta box moves by `delta`: shift iloc's file offsets.
  const out = Buffer.from(heic);
  const iloc = find(metaKids, 'iloc');
  const version = out.readUInt8(iloc.start + 8);
  const sizes = out.readUInt8(iloc.body);
  const more = out.readUInt8(iloc.body + 1);
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const baseOffsetSize = more >> 4;
  const indexSize = version >= 1 ? more & 15 : 0;
  let p = iloc.body + 2;
  const itemCount = version < 2 ? out.readUInt16BE(p) : out.readUInt32BE(p);
  p += version < 2 ? 2 : 4;
  for (let i = 0; i < itemCount; i++) {
    p += version < 2 ? 2 : 4; // item id
    const method = version >= 1 ? out.readUInt16BE(p) & 15 : 0;
    if (version >= 1) p += 2;
    p += 2; // data_reference_index
    const fileOffsets = method === 0; // 1 = inside idat, which does not move
    const baseAt = p;
    const base = readUInt(out, p, baseOffsetSize);
    p += baseOffsetSize;
    const extents = out.readUInt16BE(p);
    p += 2;
    if (fileOffsets && baseOffsetSize > 0 && base > 0) writeUInt(out, baseAt, baseOffsetSize, base + delta);
    for (let e = 0; e < extents; e++) {
      p += indexSize;
      const offset = readUInt(out, p, offsetSize);
      if (fileOffsets && !(baseOffsetSize > 0 && base > 0)) writeUInt(out, p, offsetSize, offset + delta);
      p += offsetSize + lengthSize;
    }
  }

  const metaHead = Buffer.from(out.subarray(meta.start, meta.body));
  metaHead.writeUInt32BE(meta.size + delta, 0);
  const newMeta = Buffer.concat([metaHead, ...metaKids.map((k) => (k === iprp ? newIprp : out.subarray(k.start, k.start + k.size)))]);
  return Buffer.concat([...top.map((t) => (t === meta ? newMeta : out.subarray(t.start, t.start + t.size)))]);
}
