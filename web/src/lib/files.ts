import { formatBytes } from './format.js';

/** Which files the app sends: the API's image types (HEIC often comes without a type). */
export const ACCEPTED_TYPES: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/heic': 'HEIC',
  'image/heif': 'HEIC',
};
export const ACCEPT_ATTRIBUTE = 'image/png,image/jpeg,image/webp,image/gif,image/heic,image/heif,.heic,.heif';

/** The content type to send, or why the file is refused (never sent). */
export function checkFile(file: { name: string; type: string; size: number }, limit: number): { type: string } | { reason: string } {
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  const heicByName = ext === 'heic' || ext === 'heif';
  const type = file.type && file.type !== 'application/octet-stream' ? file.type : heicByName ? 'image/heic' : file.type;
  if (!ACCEPTED_TYPES[type]) {
    return { reason: `Not a supported image type${file.type ? ` (${file.type})` : ''}. Use PNG, JPEG, WebP, GIF or HEIC.` };
  }
  if (file.size === 0) return { reason: 'The file is empty.' };
  if (file.size > limit) return { reason: `Too large (${formatBytes(file.size)}); the limit is ${formatBytes(limit)}.` };
  return { type: type === 'image/heif' ? 'image/heic' : type };
}
