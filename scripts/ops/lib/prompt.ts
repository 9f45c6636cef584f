import type { OpsIo } from './context.js';

/**
 * Questions on stderr, answers from stdin, one line each. Works the same on a terminal and on
 * a pipe (tests and scripts feed stdin); at the end of input the answer is `null`, which every
 * question treats as "no".
 */
export class LineReader {
  private buffer = '';
  private ended = false;
  private waiting: (() => void) | undefined;

  constructor(private readonly input: NodeJS.ReadableStream) {
    input.setEncoding?.('utf8');
    input.on('data', (chunk: string | Buffer) => {
      this.buffer += chunk.toString();
      this.wake();
    });
    input.on('end', () => {
      this.ended = true;
      this.wake();
    });
    input.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake() {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl >= 0) {
        const text = this.buffer.slice(0, nl).replace(/\r$/, '');
        this.buffer = this.buffer.slice(nl + 1);
        return text;
      }
      if (this.ended) {
        if (this.buffer === '') return null;
        const text = this.buffer;
        this.buffer = '';
        return text;
      }
      this.input.resume?.();
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** Stops reading so that the process can exit while stdin is still open (a terminal). */
  close() {
    this.input.pause?.();
  }
}

const readers = new WeakMap<NodeJS.ReadableStream, LineReader>();
function readerFor(io: OpsIo) {
  let reader = readers.get(io.stdin);
  if (!reader) {
    reader = new LineReader(io.stdin);
    readers.set(io.stdin, reader);
  }
  return reader;
}

export async function ask(io: OpsIo, question: string): Promise<string | null> {
  io.stderr.write(question);
  const reader = readerFor(io);
  try {
    const answer = await reader.readLine();
    if (answer === null) io.stderr.write('\n');
    return answer;
  } finally {
    reader.close();
  }
}

/** y/N: only "y" or "yes" (any case) says yes; an empty answer or the end of input says no. */
export async function confirm(io: OpsIo, question: string): Promise<boolean> {
  const answer = await ask(io, `${question} [y/N] `);
  return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
}

/** The user must type `expected` exactly (surrounding spaces ignored) to go on. */
export async function confirmTyped(io: OpsIo, question: string, expected: string): Promise<boolean> {
  const answer = await ask(io, `${question}\nType "${expected}" to continue: `);
  return answer !== null && answer.trim() === expected;
}
