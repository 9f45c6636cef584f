import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { screenshotPng } from '../helpers/images.js';

/**
 * A real crash: the server process is killed with SIGKILL while items are mid-pipeline, then
 * started again on the same data directory. Every item must reach `ready` by itself, with
 * nothing done twice (one analysis version each, one search row each).
 */
// `node --import tsx` keeps the server in this one process (the tsx CLI would fork a child
// that a SIGKILL of the parent leaves running).
const main = path.resolve('src/cli/main.ts');
const children: ChildProcess[] = [];
let dataDir: string | undefined;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function startServer(port: number, dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', COLLECTIONS_DATA_DIR: dir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('server did not start');
}

describe('crash and restart', () => {
  it('resumes every unfinished item after SIGKILL', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'collections-crash-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await startServer(port, dataDir);

    for (let i = 0; i < 5; i++) {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(await screenshotPng([`Crash test ${i}`, 'Tonkotsu ramen']))], `c${i}.png`));
      expect((await fetch(`${base}/items`, { method: 'POST', body: form })).status).toBe(201);
    }
    const before = await (await fetch(`${base}/items`)).json();
    expect(before.items.some((i: { status: string }) => i.status !== 'ready')).toBe(true);

    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    await expect(fetch(`${base}/health`)).rejects.toThrow(); // really gone
    const second = await startServer(port, dataDir);
    expect(second.pid).not.toBe(first.pid);

    const until = Date.now() + 90_000;
    let statuses: string[] = [];
    while (Date.now() < until) {
      const list = await (await fetch(`${base}/items`)).json();
      statuses = list.items.map((i: { status: string }) => i.status);
      if (statuses.every((s) => s === 'ready' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(statuses).toEqual(['ready', 'ready', 'ready', 'ready', 'ready']);

    // Nothing done twice: five items, one analysis version each, each findable once.
    const list = await (await fetch(`${base}/items`)).json();
    expect(list.total).toBe(5);
    for (const item of list.items as { id: string }[]) {
      const versions = await (await fetch(`${base}/items/${item.id}/analyses`)).json();
      expect(versions.analyses.map((a: { version: number }) => a.version)).toEqual([1]);
    }
    const found = await (
      await fetch(`${base}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'crash test', search_type: 'bm25', top_k: 50 }),
      })
    ).json();
    const ids = found.results.map((r: { item_id: string }) => r.item_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(5);
  });
});
