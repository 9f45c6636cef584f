/**
 * The size DynamoDB counts for an item (in document form, as lib-dynamodb takes it), following
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html:
 * attribute names plus values; strings as UTF-8; numbers about one byte per two significant
 * digits plus one; binary as is; maps and lists 3 bytes plus 1 per element. Numbers are
 * over-estimated slightly, so a record this function accepts is accepted by DynamoDB.
 */

/** DynamoDB rejects items above 400 KB. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value)
      .replace(/[^0-9]/g, '')
      .replace(/^0+/, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set) {
    let size = 3;
    for (const element of value) size += valueSize(element) + 1;
    return size;
  }
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, element] of Object.entries(value)) {
      if (element !== undefined) size += utf8(name) + valueSize(element) + 1;
    }
    return size;
  }
  throw new TypeError(`Cannot store a ${typeof value} in DynamoDB`);
}

export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) size += utf8(name) + valueSize(value);
  }
  return size;
}
