import { randomInt } from 'node:crypto';

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@^_'] as const;

/**
 * A random password that meets any Cognito password policy up to `length` characters: upper and
 * lower case letters, digits and symbols (Cognito's allowed symbols), no look-alikes (0/O, 1/l).
 */
export function generatePassword(length = 20): string {
  if (length < SETS.length) throw new Error(`a password needs at least ${SETS.length} characters`);
  const all = SETS.join('');
  const chars = SETS.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
