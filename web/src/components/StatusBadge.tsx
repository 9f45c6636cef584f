import { STATUS_LABEL } from '../lib/format';

export function StatusBadge({ status }: { status: string }) {
  const busy = status !== 'ready' && status !== 'failed';
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}
