import { describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/shared/config.js';
import { ItemsRepository } from '../../src/repositories/items.js';
import { uuidV5, ImportInputError, type ImportOptions, type ImportReport } from '../../src/cli/importer/index.js';
import { createProgressDisplay } from '../../src/cli/importer/progress.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { solidImage } from '../helpers/images.js';
import { analysisJson, threeItems, writeChromaDir, writeCollectionsLocalDb, writeExportJson, writeGolden } from './fixtures.js';

import { importFixture } from './import-setup.js';

const fx = importFixture();
const { dir, run, sqliteFixture } = fx;
const [A, B, C] = threeItems().map((i) => i.id) as [string, string, string];

describe('import --format export', () => {
  it("reads collections-local's database.json like its database", async () => {
    const d = dir('export');
    const source = await writeExportJson(d, threeItems());
    const report = await run({ format: 'export', source }); // images/ beside the file by default
    expect(report).toMatchObject({
      items_in: 3,
      analyses_in: 4,
      imported: 3,
      analyses_out: 4,
      images_missing: [C],
      images_dir: path.join(d, 'images'),
      ok: true,
    });
    const b = await fx.h.call('GET', `/items/${B}/analyses`);
    expect(b.body.analyses.map((x: any) => [x.id, x.version, x.model, x.trace_id])).toEqual([
      ['aaaaaaaa-0000-4000-8000-000000000003', 2, 'claude-sonnet-4-5', 'trace-v2'],
      ['aaaaaaaa-0000-4000-8000-000000000002', 1, 'gpt-4o', null],
    ]);
    expect((await run({ format: 'export', source })).skipped_existing).toBe(3);
  });
});

describe('import --format golden', () => {
  it('imports reviewed analyses as provider golden / human-reviewed, dated reviewed_at', async () => {
    const d = dir('golden');
    const g = ['f5129142-8126-4f7b-8b72-72f4024d4078', 'fe0288ee-5bcf-46e5-8ce6-c1c65cae5395', '987f250b-7e99-4ce6-9504-0a9d7879dbdc'];
    const source = await writeGolden(d, [
      { item_id: g[0]!, reviewed_at: '2025-12-13T23:02:52.946Z', headline: 'TeamLab Forest Fukuoka digital art', imageSeed: 101 },
      {
        item_id: g[1]!,
        reviewed_at: '2025-12-13T23:05:00.000Z',
        headline: 'Mentaiko udon at Yamaya',
        imageSeed: 140,
        original_filename: 'IMG_7930 Large.jpeg',
      },
      { item_id: g[2]!, reviewed_at: '2025-12-13T23:09:00.000Z', headline: '', imageSeed: 180 },
    ]);
    const report = await run({ format: 'golden', source, images: path.join(d, 'images') });
    expect(report).toMatchObject({
      items_in: 3,
      imported: 3,
      analyses_out: 3,
      images_missing: [],
      findable_by_headline: { checked: 2, found: 2, no_headline: [g[2]] },
      ok: true,
    });
    const item = await fx.h.call('GET', `/items/${g[1]}`);
    expect(item.body).toMatchObject({
      id: g[1],
      original_filename: 'IMG_7930 Large.jpeg',
      created_at: '2025-12-13T23:05:00.000Z',
      status: 'ready',
    });
    expect(item.body.analysis).toMatchObject({
      provider: 'golden',
      model: 'human-reviewed',
      version: 1,
      trace_id: null,
      created_at: '2025-12-13T23:05:00.000Z',
    });
    expect(item.body.analysis.raw).not.toHaveProperty('reviewed_at'); // bookkeeping fields are not analysis
    expect((await fx.h.call('GET', `/items/${g[0]}`)).body.original_filename).toBe(`${g[0]}.jpg`);
    expect((await run({ format: 'golden', source, images: path.join(d, 'images') })).skipped_existing).toBe(3);
  });
});

describe('import --format chroma', () => {
  it('reads documents and metadata from chroma.sqlite3 without a server and re-embeds them', async () => {
    const d = dir('chroma');
    const U1 = '77777777-7777-4777-8777-777777777777';
    const U2 = '88888888-8888-4888-8888-888888888888';
    const raw1 = analysisJson('Ohori Park lake boat rental prices', { category: 'Travel' });
    await writeChromaDir(
      path.join(d, 'chroma'),
      'collections_vectors',
      [
        {
          // What collections-local's ChromaVectorStoreManager wrote: everything, raw_response included.
          id: 'c0a8a4a2-3f7b-4a51-9d1e-111111111111',
          document: 'Ohori Park lake boat rental prices Travel Japan',
          metadata: {
            item_id: U1,
            category: 'Travel',
            headline: raw1['headline'] as string,
            summary: raw1['summary'] as string,
            filename: `${U1}.jpg`,
            image_url: `/images/${U1}.jpg`,
            raw_response: JSON.stringify(raw1),
          },
        },
        {
          // Chunked, without raw_response: assembled from the metadata, chunks as extracted text.
          id: 'c0a8a4a2-3f7b-4a51-9d1e-222222222222',
          document: 'Shin-Shin ramen menu: tonkotsu 790 yen',
          metadata: {
            item_id: U2,
            category: 'Food',
            headline: 'Shin-Shin ramen menu',
            summary: 'Ramen menu with prices.',
            chunk_index: 0,
            total_chunks: 2,
          },
        },
        {
          id: 'c0a8a4a2-3f7b-4a51-9d1e-333333333333',
          document: 'Opening hours 11:00 to 3:00 at night',
          metadata: {
            item_id: U2,
            category: 'Food',
            headline: 'Shin-Shin ramen menu',
            summary: 'Ramen menu with prices.',
            chunk_index: 1,
            total_chunks: 2,
          },
          documentOnlyInFts: true,
        },
        {
          // A bare Chroma record: no item_id, no metadata; its id is not a uuid.
          id: 'doc-3',
          document: 'Le Labo Santal 33 eau de parfum\n100 ml 310 USD',
          metadata: {},
        },
      ],
      { wal: true },
    );
    await mkdir(path.join(d, 'images'), { recursive: true });
    await writeFile(path.join(d, 'images', `${U1}.jpg`), await solidImage('jpeg', 201, { width: 70, height: 70 }));

    const report = await run({ format: 'chroma', source: path.join(d, 'chroma'), images: path.join(d, 'images') });
    const doc3 = uuidV5('item:local:doc-3');
    expect(report).toMatchObject({
      format: 'chroma',
      items_in: 3,
      analyses_in: 3,
      imported: 3,
      items_out: 3,
      analyses_out: 3,
      images_missing: [U2, 'doc-3'],
      remapped_ids: { 'doc-3': doc3 },
      failed: [],
      findable_by_headline: { checked: 3, found: 3 },
      ok: true,
    });
    expect(report.warnings).toEqual([{ item_id: 'doc-3', message: expect.stringMatching(/Uncategorized/) }]);

    const one = await fx.h.call('GET', `/items/${U1}`);
    expect(one.body).toMatchObject({ status: 'ready', thumbnail_url: `/items/${U1}/thumbnail`, created_at: '2025-12-20T10:00:00.000Z' });
    expect(one.body.analysis).toMatchObject({
      provider: 'chroma-import',
      model: 'collections_vectors',
      headline: 'Ohori Park lake boat rental prices',
    });
    expect(one.body.analysis.raw.media_metadata.hashtags).toEqual(['#fukuoka']);

    const two = (await fx.h.call('GET', `/items/${U2}`)).body.analysis;
    expect(two).toMatchObject({ category: 'Food', headline: 'Shin-Shin ramen menu', summary: 'Ramen menu with prices.' });
    expect(two.raw.image_details.extracted_text).toEqual([
      'Shin-Shin ramen menu: tonkotsu 790 yen',
      'Opening hours 11:00 to 3:00 at night',
    ]);

    const three = (await fx.h.call('GET', `/items/${doc3}`)).body.analysis;
    expect(three).toMatchObject({ category: 'Uncategorized', headline: 'Le Labo Santal 33 eau de parfum' });

    const rows = await fx.db.query<{ embedding_model: string }>('SELECT DISTINCT embedding_model FROM search_rows');
    expect(rows.rows).toEqual([{ embedding_model: fx.h.services.embedder.id }]);
    // Read-only for real: a WAL database read in place would get -shm/-wal files beside it.
    expect(await readdir(path.join(d, 'chroma'))).toEqual(['chroma.sqlite3']);
    // Given the file instead of the folder; images/ beside the Chroma folder by default.
    const again = await run({ format: 'chroma', source: path.join(d, 'chroma', 'chroma.sqlite3') });
    expect(again).toMatchObject({ skipped_existing: 3, images_dir: path.join(d, 'images') });
  });
});

describe('bad inputs', () => {
  it('fail with a clear error and import nothing', async () => {
    const d = dir('bad');
    await mkdir(d, { recursive: true });
    const notJson = path.join(d, 'broken.json');
    await writeFile(notJson, '{"tables": {"items": [');
    const golden = await writeGolden(path.join(d, 'g'), [
      { item_id: A, reviewed_at: '2025-12-13T23:02:52.946Z', headline: 'x', imageSeed: null },
    ]);
    const text = path.join(d, 'notes.db');
    await writeFile(text, 'this is not a database, just text '.repeat(200));
    const exportFile = await writeExportJson(path.join(d, 'e'), threeItems());
    const sqlite = await writeCollectionsLocalDb(path.join(d, 's'), threeItems());

    const cases: [ImportOptions, RegExp][] = [
      [{ format: 'sqlite', source: path.join(d, 'nope.db') }, /--source .*nope\.db does not exist/],
      [{ format: 'export', source: path.join(d, 'nope.json') }, /--source .*nope\.json does not exist/],
      [{ format: 'export', source: notJson }, /is not valid JSON/],
      [{ format: 'golden', source: notJson }, /is not valid JSON/],
      [{ format: 'export', source: golden }, /not a collections-local JSON export.*use --format golden/],
      [{ format: 'golden', source: exportFile }, /not a golden set.*use --format export/],
      [{ format: 'sqlite', source: text }, /is not a SQLite database/],
      [{ format: 'sqlite', source: d }, /is not a file/],
      [{ format: 'chroma', source: d }, /not a Chroma persistent directory: it has no chroma\.sqlite3/],
      [{ format: 'chroma', source: sqlite }, /not a Chroma database.*use --format sqlite/],
      [{ format: 'sqlite', source: sqlite, images: path.join(d, 'no-images') }, /--images .*no-images does not exist/],
      [{ format: 'sqlite', source: sqlite, user: 'a/b' }, /--user "a\/b" is not a valid user id/],
      [{ format: 'csv' as never, source: sqlite }, /Unknown import format "csv": use --format sqlite, export, golden, chroma/],
    ];
    for (const [opts, message] of cases) {
      const err = await run(opts).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(opts)).toBeInstanceOf(ImportInputError);
      expect((err as Error).message, JSON.stringify(opts)).toMatch(message);
    }
    expect(await new ItemsRepository(fx.db).count('local')).toBe(0);
  });
});

describe('collections import (CLI)', () => {
  const stream = (isTTY: boolean) => {
    const s = new PassThrough();
    const chunks: string[] = [];
    s.on('data', (c: Buffer) => chunks.push(c.toString()));
    return { s: Object.assign(s, { isTTY, columns: 100 }) as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
  };

  it('prints the report as JSON on stdout, progress and a summary on stderr, and exits 1 on failures', async () => {
    const items = threeItems();
    items[2]!.analyses[0]!.raw = '{not json';
    const { source, images } = await sqliteFixture(items);
    const dataDir = dir('cli-data');
    const out = stream(false);
    const err = stream(false);
    const code = await importCommand(
      loadConfig({ COLLECTIONS_DATA_DIR: dataDir }),
      { format: 'sqlite', source, images, user: 'cli' },
      { stdout: out.s, stderr: err.s },
    );
    expect(code).toBe(1);
    const report = JSON.parse(out.text()) as ImportReport;
    expect(report).toMatchObject({ user_id: 'cli', items_in: 3, imported: 2, ok: false });
    expect(report.failed.map((f) => f.item_id)).toEqual([C, C]);
    expect(err.text()).toContain('import: 3/3 (imported 2, skipped 0, failed 1)');
    expect(err.text()).toMatch(/items: 3 in the source, 2 in the collection/);
    expect(err.text()).toMatch(/import: PROBLEMS/);
  });

  it('shows a bar on a terminal and a line every N items elsewhere', () => {
    const tty = stream(true);
    const bar = createProgressDisplay(tty.s);
    for (let i = 1; i <= 3; i++) bar.update({ done: i, total: 3, item_id: `i${i}`, outcome: 'imported' });
    bar.stop();
    expect(tty.text()).toContain('3/3');

    const log = stream(false);
    const lines = createProgressDisplay(log.s, { every: 2 });
    for (let i = 1; i <= 5; i++) lines.update({ done: i, total: 5, item_id: `i${i}`, outcome: i === 3 ? 'failed' : 'skipped' });
    expect(log.text().trim().split('\n')).toEqual([
      'import: 2/5 (imported 0, skipped 2, failed 0)',
      'import: 4/5 (imported 0, skipped 3, failed 1)',
      'import: 5/5 (imported 0, skipped 4, failed 1)',
    ]);
  });
});
