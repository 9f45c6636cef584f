export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} kB`;
  return `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatDateTime = (iso: string) => dateFormat.format(new Date(iso));
export const formatDate = (iso: string) => dayFormat.format(new Date(iso));

// One formatter for every count (toLocaleString builds a new one per call).
const numberFormat = new Intl.NumberFormat();
export const formatCount = (n: number) => numberFormat.format(n);

export function plural(n: number, one: string, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export const STATUS_LABEL: Record<string, string> = {
  uploaded: 'Uploaded',
  processing: 'Processing',
  analyzed: 'Indexing',
  ready: 'Ready',
  failed: 'Failed',
};

export const isUnfinished = (status: string) => status !== 'ready' && status !== 'failed';
