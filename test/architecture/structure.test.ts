import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../src/contracts/aws.js';

/**
 * The shape of the code (README "Where things live"): small files, SQL only where the database
 * is, thin Lambda handlers, and dependency rules that really fail on a wrong-way import. The
 * rules themselves run over the real tree in `npm test` (npm run check:deps).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function trackedFiles(...patterns: string[]): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard', '--', ...patterns], { cwd: ROOT });
  return stdout.split('\n').filter(Boolean);
}

/** Generated, not written: regenerated from the OpenAPI document (npm run gen:api). */
const GENERATED = new Set(['web/src/api/schema.d.ts']);
const MAX_LINES = 400;

describe('file sizes', () => {
  it(`keeps every TypeScript file at ${MAX_LINES} lines or fewer`, async () => {
    const files = (await trackedFiles('*.ts', '*.tsx', '*.mts')).filter((f) => !GENERATED.has(f));
    expect(files.length).toBeGreaterThan(300);
    const long: string[] = [];
    for (const f of files) {
      const lines = (await readFile(path.join(ROOT, f), 'utf8').catch(() => '')).split('\n').length - 1;
      if (lines > MAX_LINES) long.push(`${f}: ${lines}`);
    }
    expect(long).toEqual([]);
  });
});

/** A statement in a string: an SQL keyword at the start of a string or line, then SQL words. */
const SQL =
  /(?:['"`]|^)\s*(?:SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|EXTENSION)|DROP\s+INDEX)/m;
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('SQL', () => {
  it('is written only in src/repositories and src/adapters', async () => {
    const files = await trackedFiles('src/*.ts');
    const outside = files.filter((f) => !/^src\/(repositories|adapters)\//.test(f));
    expect(outside.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const f of outside) if (SQL.test(withoutComments(await readFile(path.join(ROOT, f), 'utf8')))) offenders.push(f);
    expect(offenders).toEqual([]);
  });

  it('is recognised by the check (it would catch a query in a route)', () => {
    expect(SQL.test("await db.query('SELECT count(*) FROM items')")).toBe(true);
    expect(SQL.test('`UPDATE items SET attempts = 0`')).toBe(true);
    expect(SQL.test("'Select an item to see it'")).toBe(false);
  });
});

describe('Lambda functions', () => {
  it('each has a handler of at most 40 lines in src/lambda/handlers, and nothing else lives there', async () => {
    const entries = Object.values(LAMBDA_FUNCTIONS).map((f) => f.entry);
    const handlers = await trackedFiles('src/lambda/handlers');
    expect(handlers.sort()).toEqual([...new Set(entries)].sort());
    for (const entry of entries) {
      const lines = (await readFile(path.join(ROOT, entry), 'utf8')).split('\n').length - 1;
      expect(lines, entry).toBeLessThanOrEqual(40);
    }
  });
});

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let tmp: string | undefined;
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** Runs depcruise with the project's rules over a small tree; its exit code and output. */
  async function cruise(files: Record<string, string>): Promise<{ code: number; out: string }> {
    tmp ??= await mkdtemp(path.join(tmpdir(), 'cruise-'));
    const dir = await mkdtemp(path.join(tmp, 'tree-'));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true } }),
    );
    const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const args = [bin, '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err', 'src'];
    try {
      const { stdout } = await run(process.execPath, args, { cwd: dir });
      return { code: 0, out: stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, out: e.stdout };
    }
  }

  it('pass an inward import', async () => {
    const r = await cruise({
      'src/domain/item.ts': 'export const x = 1;\n',
      'src/services/items/list.ts': "import { x } from '../../domain/item.js';\nexport const y = x;\n",
    });
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fail a wrong-way import (a service reaching into an adapter)', async () => {
    const r = await cruise({
      'src/adapters/embedder/local.ts': 'export const embed = 1;\n',
      'src/services/search/expand.ts': "import { embed } from '../../adapters/embedder/local.js';\nexport const y = embed;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('services-point-inward');
  });

  it('fail a route that uses a repository', async () => {
    const r = await cruise({
      'src/repositories/items.ts': 'export const items = 1;\n',
      'src/api/routes/items.ts': "import { items } from '../../repositories/items.js';\nexport const y = items;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('api-only-translates');
  });

  it('fail a cycle', async () => {
    const r = await cruise({
      'src/services/search/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/services/search/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('no-circular');
  });
});
