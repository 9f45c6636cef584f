/**
 * Files shared to the installed app (Web Share Target): the service worker (web/public/sw.js)
 * receives the POST to /share-target, keeps each file in the Cache Storage "inbox" and sends
 * the app to /?shared=1; the app takes them from there into its upload queue (so uploads carry
 * the signed-in user's token like any other) and empties the inbox.
 */
export const SHARE_INBOX = 'collections-share-inbox';

export async function takeSharedFiles(): Promise<File[]> {
  if (typeof caches === 'undefined') return [];
  const inbox = await caches.open(SHARE_INBOX);
  const requests = await inbox.keys();
  const files: File[] = [];
  for (const request of requests) {
    const res = await inbox.match(request);
    if (res) {
      const blob = await res.blob();
      const name = safeDecode(res.headers.get('X-File-Name')) || `Shared image ${files.length + 1}`;
      files.push(new File([blob], name, { type: res.headers.get('Content-Type') || blob.type }));
    }
    await inbox.delete(request);
  }
  return files;
}

function safeDecode(v: string | null): string {
  if (!v) return '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
