/**
 * Which object keys are acceptable. Both adapters apply the same rule, so a key that works on a
 * laptop works on AWS and the other way round. Keys look like `{userId}/originals/{itemId}.jpg`
 * (DESIGN.md §2): relative, slash-separated, no empty or dot segments. On the filesystem this is
 * also what keeps a key from escaping the store's root directory.
 */
export function assertValidObjectKey(key: string): void {
  const reject = (why: string): never => {
    throw new Error(`Invalid object key ${JSON.stringify(key)}: ${why}`);
  };
  if (typeof key !== 'string' || key.length === 0) reject('empty');
  if (key.length > 1024) reject('longer than 1024 characters');
  if (key.includes('\\')) reject('backslashes are not allowed');
  if (key.includes('\0')) reject('NUL characters are not allowed');
  if (key.startsWith('/')) reject('absolute keys are not allowed');
  // "C:" drive prefixes would make path.join ignore the root on Windows.
  if (/^[a-zA-Z]:/.test(key)) reject('drive prefixes are not allowed');
  for (const segment of key.split('/')) {
    if (segment === '') reject('empty path segments are not allowed');
    if (segment === '.' || segment === '..') reject('"." and ".." segments are not allowed');
  }
}
