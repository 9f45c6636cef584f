import { ApiError, api, apiUrl, authHeaders, ok, toApiError, type Item } from '../api/client';
import { checkFile } from '../lib/files';
import { formatBytes } from '../lib/format';

/**
 * The upload queue, outside React so uploads go on while the user moves around the app. Files
 * are checked first (type, size: a rejected file gets a message and is never sent), then sent
 * two at a time with per-file progress (XMLHttpRequest: fetch reports no upload progress):
 *
 * - `api` mode: POST /items, multipart with the file (the local server).
 * - `direct` mode (AWS): POST /items/uploads for a presigned S3 form, then the form POST to S3.
 */
export type UploadStatus = 'queued' | 'uploading' | 'done' | 'duplicate' | 'rejected' | 'failed';

export interface UploadEntry {
  key: number;
  name: string;
  size: number;
  status: UploadStatus;
  /** 0..1 while uploading. */
  progress: number;
  message?: string;
  itemId?: string;
}

const CONCURRENCY = 2;

let mode: 'api' | 'direct' = 'api';
let maxBytes = 25 * 1024 * 1024;
let entries: UploadEntry[] = [];
const files = new Map<number, File>();
let nextKey = 1;
let active = 0;
const listeners = new Set<() => void>();
const itemListeners = new Set<(item: Item, duplicate: boolean) => void>();

export function configureUploads(options: { mode: 'api' | 'direct'; maxBytes: number }) {
  mode = options.mode;
  maxBytes = options.maxBytes;
}

export const uploadsSnapshot = () => entries;
export function subscribeUploads(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
/** Called with each item an upload created (or found: `duplicate`). */
export function onUploadedItem(listener: (item: Item, duplicate: boolean) => void) {
  itemListeners.add(listener);
  return () => void itemListeners.delete(listener);
}

function update(key: number, patch: Partial<UploadEntry>) {
  entries = entries.map((e) => (e.key === key ? { ...e, ...patch } : e));
  listeners.forEach((l) => l());
}

export function addFiles(list: Iterable<File>) {
  const added: UploadEntry[] = [];
  for (const file of list) {
    const key = nextKey++;
    const check = checkFile(file, maxBytes);
    const entry: UploadEntry = {
      key,
      name: file.name || 'unnamed',
      size: file.size,
      status: 'reason' in check ? 'rejected' : 'queued',
      progress: 0,
      ...('reason' in check ? { message: check.reason } : {}),
    };
    if (!('reason' in check)) files.set(key, file);
    added.push(entry);
  }
  entries = [...entries, ...added];
  listeners.forEach((l) => l());
  pump();
}

export function clearFinished() {
  entries = entries.filter((e) => e.status === 'queued' || e.status === 'uploading');
  listeners.forEach((l) => l());
}

/** Once a batch is done, uploads that went fine leave the tray; problems stay until cleared. */
const TIDY_AFTER_MS = 6000;
let tidyTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleTidy() {
  if (tidyTimer) clearTimeout(tidyTimer);
  tidyTimer = setTimeout(() => {
    tidyTimer = null;
    if (active > 0 || entries.some((e) => e.status === 'queued')) return;
    const kept = entries.filter((e) => e.status !== 'done' && e.status !== 'duplicate');
    if (kept.length === entries.length) return;
    entries = kept;
    listeners.forEach((l) => l());
  }, TIDY_AFTER_MS);
}

function pump() {
  while (active < CONCURRENCY) {
    const next = entries.find((e) => e.status === 'queued');
    if (!next) {
      if (active === 0) scheduleTidy();
      return;
    }
    const file = files.get(next.key);
    if (!file) {
      update(next.key, { status: 'failed', message: 'The file is no longer available.' });
      continue;
    }
    active++;
    update(next.key, { status: 'uploading', progress: 0 });
    void send(next.key, file).finally(() => {
      active--;
      files.delete(next.key);
      pump();
    });
  }
}

async function send(key: number, file: File) {
  try {
    const type = (checkFile(file, maxBytes) as { type: string }).type;
    const { item, duplicate } = mode === 'direct' ? await sendDirect(key, file, type) : await sendToApi(key, file);
    update(key, {
      status: duplicate ? 'duplicate' : 'done',
      progress: 1,
      itemId: item.id,
      message: duplicate ? 'Already in your collection.' : undefined,
    });
    itemListeners.forEach((l) => l(item, duplicate));
  } catch (err) {
    const message =
      err instanceof ApiError
        ? err.status === 413
          ? `Too large; the limit is ${formatBytes(maxBytes)}.`
          : err.status === 415 || err.code === 'unsupported_media_type'
            ? 'Not a supported image type. Use PNG, JPEG, WebP, GIF or HEIC.'
            : err.message
        : err instanceof Error
          ? err.message
          : 'Upload failed.';
    update(key, { status: 'failed', message });
  }
}

async function sendToApi(key: number, file: File): Promise<{ item: Item; duplicate: boolean }> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await xhrPost(apiUrl('/items'), form, await authHeaders(), (p) => update(key, { progress: p }));
  if (res.status !== 200 && res.status !== 201) throw toApiError(res.status, res.json, `Upload failed (HTTP ${res.status}).`);
  const body = res.json as Item & { duplicate?: boolean };
  return { item: body, duplicate: res.status === 200 || !!body.duplicate };
}

async function sendDirect(key: number, file: File, type: string): Promise<{ item: Item; duplicate: boolean }> {
  const ticket = await ok(api().POST('/items/uploads', { body: { filename: file.name, content_type: type, size: file.size } }));
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.upload.fields)) form.append(k, v);
  form.append(ticket.upload.file_field, file, file.name);
  const res = await xhrPost(ticket.upload.url, form, {}, (p) => update(key, { progress: p }));
  if (res.status < 200 || res.status >= 300) {
    throw new ApiError(res.status, 'storage_refused', `The storage refused the file (HTTP ${res.status}).`);
  }
  return { item: ticket.item, duplicate: false };
}

function xhrPost(url: string, body: FormData, headers: Record<string, string>, onProgress: (p: number) => void) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.min(0.99, e.loaded / e.total));
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        json = null;
      }
      resolve({ status: xhr.status, json });
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The connection was lost during the upload.'));
    xhr.send(body);
  });
}
