/**
 * Conversions of values going to and coming back from the database. A row read back is only
 * cast to its interface, so these check what they get and fail loudly here rather than deep
 * inside a serializer.
 */
export function isoTime(value: unknown): string {
  // Both drivers return timestamptz as a Date; a string is accepted in case one is configured not to.
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new Error(`expected a timestamp, got ${typeof value}`);
}

/*
 * Serialised checkpoints travel to and from bytea columns as base64 text (SQL decode/encode)
 * rather than as bytea parameters and results: PGlite converts bytea to and from hex in
 * JavaScript, measured at ~250 ms to write and ~100 ms to read a 1.3 MB value, against ~20 ms
 * and ~8 ms as base64, which Node and Postgres both encode natively. node-postgres (RDS) pays
 * a third more bytes on the wire, which is small next to a network round trip.
 */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new Error(`expected base64 text, got ${typeof value}`);
  // Postgres wraps base64 lines at 76 characters; Node's decoder skips the newlines.
  const buf = Buffer.from(value, 'base64');
  // A plain Uint8Array, as the serde produced it ('bytes' values are handed back as they are).
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
