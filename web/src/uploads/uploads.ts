import { ApiError, api, apiUrl, authHeaders, ok, toApiError, type Item } from '../api/client';
import { checkFile } from '../lib/files';
import { formatBytes } from '../lib/format';
import { readNearDuplicates, type RelatedItem } from './near-duplicates';

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
  /** The item's headline when the upload found it already there (`duplicate`). */
  headline?: string | null;
  /** Items this picture looks like (perceptual hash): shown until the tray is cleared. */
  similar?: RelatedItem[];
  /** Direct uploads: look-alikes are asked for once the server has processed the image. */
  checking?: boolean;
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
    // What went fine leaves; a duplicate or a look-alike stays until read (Clear).
    const kept = entries.filter((e) => e.status === 'duplicate' || (e.status === 'done' ? !!e.similar?.length || !!e.checking : true));
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
    const { item, duplicate, similar } = mode === 'direct' ? await sendDirect(key, file, type) : await sendToApi(key, file);
    update(key, {
      status: duplicate ? 'duplicate' : 'done',
      progress: 1,
      itemId: item.id,
      headline: item.headline,
      similar: duplicate ? [] : similar,
    });
    itemListeners.forEach((l) => l(item, duplicate));
    if (mode === 'direct') void lookAlikesLater(key, item.id);
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

interface Sent {
  item: Item;
  duplicate: boolean;
  similar: RelatedItem[];
}

async function sendToApi(key: number, file: File): Promise<Sent> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await xhrPost(apiUrl('/items'), form, await authHeaders(), (p) => update(key, { progress: p }));
  if (res.status !== 200 && res.status !== 201) throw toApiError(res.status, res.json, `Upload failed (HTTP ${res.status}).`);
  const body = res.json as Item & { duplicate?: boolean };
  return { item: body, duplicate: res.status === 200 || !!body.duplicate, similar: readNearDuplicates(body, body.id) };
}

/** Straight to S3: the item is created before its bytes exist, so no duplicate check answers here. */
async function sendDirect(key: number, file: File, type: string): Promise<Sent> {
  const ticket = await ok(api().POST('/items/uploads', { body: { filename: file.name, content_type: type, size: file.size } }));
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.upload.fields)) form.append(k, v);
  form.append(ticket.upload.file_field, file, file.name);
  const res = await xhrPost(ticket.upload.url, form, {}, (p) => update(key, { progress: p }));
  if (res.status < 200 || res.status >= 300) {
    throw new ApiError(res.status, 'storage_refused', `The storage refused the file (HTTP ${res.status}).`);
  }
  return { item: ticket.item, duplicate: false, similar: [] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROCESSED = new Set(['analyzed', 'ready']);

/**
 * A direct upload reaches storage before the server has seen the picture: its look-alikes are
 * known once the pipeline has processed it (perceptual hash). Asked for then, every 2 s for at
 * most a minute; a nicety, so any failure is quiet.
 */
async function lookAlikesLater(key: number, id: string) {
  update(key, { checking: true });
  try {
    for (let i = 0; i < 30; i++) {
      await sleep(2000);
      if (!entries.some((e) => e.key === key)) return; // cleared from the tray
      const item = await ok(api().GET('/items/{id}', { params: { path: { id } } }));
      if (item.status === 'failed') return;
      if (!PROCESSED.has(item.status)) continue;
      const near = await ok(api().GET('/items/{id}/near-duplicates', { params: { path: { id } } }));
      const similar = readNearDuplicates(near, id);
      if (similar.length) update(key, { similar });
      return;
    }
  } catch {
    // the upload itself went fine
  } finally {
    update(key, { checking: false });
    scheduleTidy();
  }
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
