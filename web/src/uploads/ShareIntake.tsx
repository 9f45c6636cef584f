import { useEffect, useState } from 'react';
import { navigate, useLocationKey } from '../router';
import { addFiles } from './uploads';

/**
 * Arrivals from the share sheet (web/public/sw.js answers the share with /?shared=…):
 *
 * - `shared=1`: the files wait in the inbox; they join the upload queue.
 * - `shared=unavailable`: the share reached the server, not the service worker (the app was
 *   never opened in this browser, or not since it was installed): nothing could be kept.
 * - `shared=empty` / `error`: the share carried no file, or could not be read.
 *
 * The query is removed at once so a reload does not repeat it; a message says what happened.
 */
const MESSAGES: Record<string, string> = {
  unavailable:
    'Sharing to Collections works once the app is installed and has been opened in this browser. Reload this page, then share again.',
  empty: 'Nothing to add: the share carried no image.',
  error: 'The shared files could not be read. Share them again.',
  missing: 'The shared files were not found (they may have been added already). Share them again if they are missing.',
};

let taken = false;

export function ShareIntake() {
  const key = useLocationKey();
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const url = new URL(key, window.location.origin);
    const shared = url.searchParams.get('shared');
    if (!shared) return;
    url.searchParams.delete('shared');
    navigate(url.pathname + url.search, { replace: true });
    if (shared !== '1') {
      setMessage(MESSAGES[shared] ?? MESSAGES.error!);
      return;
    }
    if (taken) return; // React's development double effects; one intake per page load
    taken = true;
    import('./shared-inbox')
      .then((m) => m.takeSharedFiles())
      .then(
        (files) => {
          taken = false;
          if (files.length) addFiles(files);
          else setMessage(MESSAGES.missing!);
        },
        () => {
          taken = false;
          setMessage(MESSAGES.error!);
        },
      );
  }, [key]);

  // The live region is always there, so the message is announced when it appears.
  return (
    <div role="status" className="share-status">
      {message && (
        <div className="notice share-notice">
          <p>{message}</p>
          <button type="button" className="button small" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
