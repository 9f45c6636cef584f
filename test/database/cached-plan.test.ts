import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDatabase } from '../../src/adapters/database/pglite.js';

/**
 * PGliteDatabase.queryCachedPlan: a named prepared statement driven through the wire protocol,
 * planned once per session with a generic plan (SearchService runs its statement this way).
 */
let db: PGliteDatabase;

beforeAll(async () => {
  db = await PGliteDatabase.open();
  await db.query(`CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, tags jsonb, at timestamptz NOT NULL DEFAULT now())`);
  await db.query(
    `INSERT INTO notes (id, body, tags) SELECT g, 'note ' || g, jsonb_build_array('t' || (g % 3)) FROM generate_series(1, 50) g`,
  );
}, 60_000);
afterAll(async () => {
  await db?.close();
});

const SQL = `SELECT id, body, tags, at, $2::boolean AS flag FROM notes WHERE id <= $1 AND (tags @> $3::jsonb) ORDER BY id`;

describe('queryCachedPlan', () => {
  it('returns what query() returns, typed the same, call after call', async () => {
    const params = [10, true, '["t1"]'];
    const plain = await db.query(SQL, params);
    const first = await db.queryCachedPlan('notes_by_tag', SQL, params);
    expect(first.rows).toEqual(plain.rows);
    expect(first.rows.map((r: any) => r.id)).toEqual([1, 4, 7, 10]);
    expect((first.rows[0] as any).at).toBeInstanceOf(Date);
    // Second call: the statement is not parsed again, new parameters are bound.
    const second = await db.queryCachedPlan('notes_by_tag', SQL, [20, false, '["t2"]']);
    expect(second.rows.map((r: any) => r.id)).toEqual([2, 5, 8, 11, 14, 17, 20]);
    expect((second.rows[0] as any).flag).toBe(false);
    expect(second.rows).toEqual((await db.query(SQL, [20, false, '["t2"]'])).rows);
  });

  it('binds NULL parameters', async () => {
    const r = await db.queryCachedPlan<{ n: number | null }>('nullable', `SELECT $1::int AS n`, [null]);
    expect(r.rows).toEqual([{ n: null }]);
  });

  it('plans generically and leaves the session as it was', async () => {
    const settings = await db.queryCachedPlan<{ mode: string; ef: string }>(
      'settings_inside',
      `SELECT current_setting('plan_cache_mode') AS mode, current_setting('work_mem') AS ef, $1::int AS x`,
      [1],
      { work_mem: '7MB' },
    );
    expect(settings.rows[0]).toMatchObject({ mode: 'force_generic_plan', ef: '7MB' });
    const after = await db.query<{ mode: string; mem: string }>(
      `SELECT current_setting('plan_cache_mode') AS mode, current_setting('work_mem') AS mem`,
    );
    expect(after.rows[0]!.mode).toBe('auto');
    expect(after.rows[0]!.mem).not.toBe('7MB');
  });

  it('reports a failing statement as an error and stays usable', async () => {
    await expect(db.queryCachedPlan('broken', `SELECT no_such_column FROM notes WHERE id = $1`, [1])).rejects.toThrow(/no_such_column/);
    await expect(db.queryCachedPlan('divide', `SELECT 1 / $1::int AS x`, [0])).rejects.toThrow(/division by zero/);
    // The failed transaction was rolled back; the prepared statement still works with good input.
    expect((await db.queryCachedPlan<{ x: number }>('divide', `SELECT 1 / $1::int AS x`, [1])).rows).toEqual([{ x: 1 }]);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes`)).rows[0]!.n).toBe(50);
  });

  it('refuses to reuse a name for other SQL', async () => {
    await db.queryCachedPlan('one_name', `SELECT $1::int AS a`, [1]);
    await expect(db.queryCachedPlan('one_name', `SELECT $1::int AS b`, [1])).rejects.toThrow(/other SQL/);
  });
});
