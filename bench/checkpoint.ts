/**
 * npm run bench:checkpoint — LangGraph checkpointer cost of a 20-turn chat on both stores: the
 * embedded database (SqlChatStore on PGlite, in memory) and DynamoDB (DynamoDbChatStore on
 * Amazon's DynamoDB Local, started here on loopback; needs Java 17).
 *
 * Each turn goes through the real ChatService and LangGraph agent with a scripted model: a
 * collection search (a fixed searcher, so only the checkpointer is measured), then a ~700
 * character answer, so the conversation and its checkpoints grow as a real one does. The
 * saver's put, putWrites and getTuple are timed as LangGraph calls them; for DynamoDB every
 * item written is sized (DynamoDB's rule: attribute names plus values) to report the largest.
 *
 *   BENCH_TURNS=20  BENCH_CONVERSATIONS=3  BENCH_OUT=file.json
 */
import { writeFile } from 'node:fs/promises';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { PGliteDatabase } from '../src/adapters/database/pglite.js';
import { migrate } from '../src/adapters/database/migrate.js';
import { SqlChatStore } from '../src/adapters/chat-store/sql/store.js';
import { DynamoDbChatStore } from '../src/adapters/chat-store/dynamodb/store.js';
import { ChatService } from '../src/services/chat/chat-service.js';
import type { ChatStore } from '../src/ports/chat-store.js';
import type { Database } from '../src/ports/database.js';
import { FakeSearcher, ScriptedChatModel, fakeResult } from '../test/helpers/scripted-chat-model.js';
import { startDynamoDbLocal } from '../test/helpers/dynamodb-local.js';
import { round, summarise } from './lib/stats.js';

const TURNS = Number(process.env.BENCH_TURNS ?? 20);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 3);

const ANSWER =
  'You saved three ramen places in Fukuoka. Ichiran in Tenjin is open 24 hours and serves tonkotsu with a ' +
  'customisable spice level [Item 1]. Shin-Shin near Hakata station is known for thin noodles and a lighter ' +
  'broth; the screenshot shows a queue at lunch [Item 2]. Ganso Nagahamaya by the fish market is the cheapest ' +
  'and opens early [Item 3]. If you want to avoid queues, go to Ganso Nagahamaya before 7 am, then walk to the ' +
  'market. Would you like me to check opening hours on the web, or look for more food places near the river?';

type Samples = Record<'put' | 'putWrites' | 'getTuple', number[]>;

/** Times the saver's methods in place (LangGraph calls them on this same instance). */
function instrument(saver: BaseCheckpointSaver): Samples {
  const samples: Samples = { put: [], putWrites: [], getTuple: [] };
  for (const name of ['put', 'putWrites', 'getTuple'] as const) {
    const original = (saver[name] as (...a: unknown[]) => Promise<unknown>).bind(saver);
    (saver as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await original(...args);
      } finally {
        samples[name].push(performance.now() - t);
      }
    };
  }
  return samples;
}

/** DynamoDB's item size: UTF-8 bytes of attribute names plus values (numbers ~ digits/2 + 1). */
function attributeSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.N !== undefined) return Math.ceil(v.N.replace(/[-.]/g, '').length / 2) + 1;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + Buffer.byteLength(k) + attributeSize(x) + 1, 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + attributeSize(x) + 1, 0);
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.BS) return v.BS.reduce((n, b) => n + b.byteLength, 0);
  return 0;
}
const itemBytes = (item: Record<string, AttributeValue>) =>
  Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + attributeSize(v), 0);

async function converse(store: ChatStore, db: Database | null, user: string) {
  const model = new ScriptedChatModel();
  const searcher = new FakeSearcher(
    [1, 2, 3].map((n) => fakeResult(n, `00000000-0000-4000-8000-00000000000${n}`, `Ramen place ${n} in Fukuoka`)),
  );
  const chat = new ChatService({
    db: db as Database,
    searcher,
    store,
    chatModel: model,
    config: {
      store: store.kind,
      table: undefined,
      dynamodbEndpoint: undefined,
      region: 'local',
      ttlMs: 4 * 3600_000,
      turnTimeoutMs: 60_000,
      timeoutHint: undefined,
      maxToolCalls: 8,
      tavilyApiKey: undefined,
      tavilyBaseUrl: 'http://127.0.0.1:9',
    },
  });
  for (let turn = 1; turn <= TURNS; turn++) {
    model.reply(
      { toolCalls: [{ name: 'search_collection', args: { query: `ramen Fukuoka ${turn}` } }] },
      { text: `${ANSWER} (turn ${turn})` },
    );
    const r = await chat.turn(user, {
      message: `Turn ${turn}: which ramen places near Hakata did I save, and which open early?`,
      session_id: 'bench',
    });
    if (r.conversation_turn !== turn) throw new Error(`turn ${turn} came back as ${r.conversation_turn}`);
  }
}

async function runStore(label: string, store: ChatStore, db: Database | null) {
  const samples = instrument(store.saver);
  const started = performance.now();
  for (let c = 0; c < CONVERSATIONS; c++) await converse(store, db, `bench-user-${c}`);
  const totalS = round((performance.now() - started) / 1000);
  return {
    store: label,
    conversations: CONVERSATIONS,
    turns_each: TURNS,
    put_ms: summarise(samples.put),
    put_writes_ms: summarise(samples.putWrites),
    get_tuple_ms: summarise(samples.getTuple),
    total_s: totalS,
  };
}

async function main() {
  const reports: Record<string, unknown>[] = [];

  const db = await PGliteDatabase.open();
  await migrate(db);
  const sql = new SqlChatStore({ db, ttlMs: 4 * 3600_000 });
  reports.push(await runStore('sql (PGlite)', sql, db));
  const sqlBytes = (
    await db.query<{ checkpoints: number; blobs: number; writes: number }>(
      `SELECT (SELECT coalesce(sum(pg_column_size(c.*)), 0)::int FROM chat_checkpoints c) AS checkpoints,
              (SELECT coalesce(sum(pg_column_size(b.*)), 0)::int FROM chat_blobs b) AS blobs,
              (SELECT coalesce(sum(pg_column_size(w.*)), 0)::int FROM chat_writes w) AS writes`,
    )
  ).rows[0];
  Object.assign(reports[0]!, { stored_bytes: sqlBytes });
  await sql.close();
  await db.close();

  const local = await startDynamoDbLocal();
  try {
    const client = local.newClient();
    let largest = 0;
    let written = 0;
    let items = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as {
          Item?: Record<string, AttributeValue>;
          RequestItems?: Record<string, { PutRequest?: { Item?: Record<string, AttributeValue> } }[]>;
          TransactItems?: { Put?: { Item?: Record<string, AttributeValue> } }[];
        };
        const puts = [
          input.Item,
          ...Object.values(input.RequestItems ?? {}).flatMap((reqs) => (Array.isArray(reqs) ? reqs.map((r) => r.PutRequest?.Item) : [])),
          ...(input.TransactItems ?? []).map((t) => t.Put?.Item),
        ].filter((x): x is Record<string, AttributeValue> => !!x);
        for (const item of puts) {
          const size = itemBytes(item);
          largest = Math.max(largest, size);
          written += size;
          items++;
        }
        return next(args);
      },
      { step: 'build', name: 'benchItemSizes' },
    );
    const table = await local.createTable();
    const dynamo = new DynamoDbChatStore({ client, tableName: table, ttlMs: 4 * 3600_000 });
    const report = await runStore('dynamodb (DynamoDB Local)', dynamo, null);
    reports.push({ ...report, items_written: items, bytes_written: written, largest_item_bytes: largest, item_limit_bytes: 400 * 1024 });
    await dynamo.close();
  } finally {
    await local.stop();
  }

  for (const r of reports) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  const lines = reports.map((r: any) => {
    const extra = r.largest_item_bytes
      ? `; largest DynamoDB item ${r.largest_item_bytes} bytes (limit 409600), ${r.items_written} items written`
      : '';
    return (
      `${r.store}: ${r.conversations} conversations × ${r.turns_each} turns — put ${r.put_ms.p50}/${r.put_ms.p95} ms, ` +
      `putWrites ${r.put_writes_ms.p50}/${r.put_writes_ms.p95} ms, getTuple ${r.get_tuple_ms.p50}/${r.get_tuple_ms.p95} ms (p50/p95)${extra}`
    );
  });
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, JSON.stringify(reports, null, 2));
}

await main();
