import { isTextEntry } from '../lib/dom.js';

/**
 * Images pasted anywhere in the app (a screenshot copied to the clipboard, a file copied in the
 * file manager) are uploaded like dropped ones. A paste into a text field that carries no image
 * is left to the field: that is someone pasting text.
 */
interface ClipboardLike {
  files?: ArrayLike<File> | null;
  items?: ArrayLike<{ kind: string; getAsFile(): File | null }> | null;
}

const isImage = (f: File) => f.type.startsWith('image/') || /\.(heic|heif)$/i.test(f.name);

/** The files a paste carries (`files`, else file `items`: older Safari fills only those). */
export function clipboardFiles(data: ClipboardLike | null | undefined): File[] {
  if (!data) return [];
  const files = Array.from(data.files ?? []);
  if (files.length) return files;
  return Array.from(data.items ?? [])
    .filter((i) => i.kind === 'file')
    .map((i) => i.getAsFile())
    .filter((f): f is File => !!f);
}

/** What to upload for this paste: nothing for text (or a file pasted into a text field). */
export function filesToUpload(data: ClipboardLike | null | undefined, target: Parameters<typeof isTextEntry>[0]): File[] {
  const files = clipboardFiles(data);
  if (files.length === 0) return [];
  if (isTextEntry(target) && !files.some(isImage)) return [];
  return files.map((f) => named(f));
}

/** A pasted screenshot is called "image.png" by every browser: give it a name worth listing. */
export function named(file: File, now: Date = new Date()): File {
  if (file.name && !/^image\.\w+$/i.test(file.name)) return file;
  const ext = /\.(\w+)$/.exec(file.name)?.[1] ?? file.type.split('/')[1] ?? 'png';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}`;
  return new File([file], `Pasted image ${stamp}.${ext}`, { type: file.type, lastModified: file.lastModified });
}

/** Listens for pastes on the document; returns the unsubscribe. */
export function listenForPastedFiles(add: (files: File[]) => void): () => void {
  const onPaste = (e: ClipboardEvent) => {
    const files = filesToUpload(e.clipboardData, e.target);
    if (files.length === 0) return;
    e.preventDefault();
    add(files);
  };
  document.addEventListener('paste', onPaste);
  return () => document.removeEventListener('paste', onPaste);
}
