import { ApiError, api, toApiError } from '../api/client';

/**
 * Downloads go through the API client like every other call (so they carry the bearer token when
 * the app signs in): the answer is read as a blob and saved through an object URL and
 * `<a download>`.
 */

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` or `filename="…"`). */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain?.[1]?.trim() || null;
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it starts; the URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * GET /export (the whole collection) or GET /export?ids=… (these items): a zip of the originals
 * and database.json in collections-local's export format, saved as a file.
 */
export async function downloadExport(ids?: readonly string[]): Promise<string> {
  const query = ids ? { ids: ids.join(',') } : {};
  let answer: { data?: Blob; error?: unknown; response: Response };
  try {
    answer = await api().GET('/export', { params: { query }, parseAs: 'blob' });
  } catch (err) {
    throw new ApiError(0, 'network', `Could not reach the server (${err instanceof Error ? err.message : String(err)}).`);
  }
  const { data, error, response } = answer;
  if (error !== undefined || !response.ok || !data) throw toApiError(response.status, error, 'The export failed.');
  const day = new Date().toISOString().slice(0, 10);
  const name = filenameOf(response.headers.get('content-disposition')) ?? `collections-export-${day}.zip`;
  saveBlob(data, name);
  return name;
}
