import cliProgress from 'cli-progress';
import type { ImportProgress } from './types.js';

export interface ProgressDisplay {
  update(p: ImportProgress): void;
  stop(): void;
}

/**
 * Progress on stderr: a live bar on a terminal; on anything else (CI logs, a pipe) one plain
 * line every `every` items and at the end, so logs show progress without a line per item.
 */
export function createProgressDisplay(
  stream: NodeJS.WriteStream = process.stderr,
  opts: { every?: number; label?: string } = {},
): ProgressDisplay {
  const label = opts.label ?? 'import';
  const counts = { imported: 0, skipped: 0, failed: 0 };
  const tally = () => `imported ${counts.imported}, skipped ${counts.skipped}, failed ${counts.failed}`;

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {value}/{total} | {tally} | {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        counts[p.outcome]++;
        if (!started) {
          bar.start(p.total, 0, { tally: tally() });
          started = true;
        }
        bar.update(p.done, { tally: tally() });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }

  const every = Math.max(1, opts.every ?? 25);
  return {
    update(p) {
      counts[p.outcome]++;
      if (p.done % every === 0 || p.done === p.total) stream.write(`${label}: ${p.done}/${p.total} (${tally()})\n`);
    },
    stop() {},
  };
}
