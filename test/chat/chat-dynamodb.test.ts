import { isSystemMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PGliteDatabase } from '../../src/adapters/database/pglite.js';
import { openTestDatabase } from '../helpers/db.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../helpers/dynamodb-local.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ScriptedChatModel } from '../helpers/scripted-chat-model.js';
import { runChatCleanup } from '../../src/services/chat/cleanup.js';

/**
 * The AWS home's chat wiring from configuration alone (CHAT_TABLE, DYNAMODB_ENDPOINT): the app
 * builds its DynamoDB chat store and a conversation runs on DynamoDB Local.
 */
let db: PGliteDatabase;
let dynamo: DynamoDbLocal;
let h: Harness;
const model = new ScriptedChatModel();
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  [db, dynamo] = await Promise.all([openTestDatabase(), startDynamoDbLocal()]);
  // The store's client takes credentials the AWS SDK way (on Lambda: the function's role).
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  const table = await dynamo.createTable();
  h = await createHarness(db, { CHAT_TABLE: table, DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'local' }, { chatModel: model });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await dynamo?.stop();
  await db?.close();
  process.env.AWS_ACCESS_KEY_ID = saved.id;
  process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
});

it('keeps a conversation in DynamoDB when CHAT_TABLE is set', async () => {
  expect((await h.services.chatStore()).kind).toBe('dynamodb');
  model.reply({ text: 'first answer' });
  const one = await h.call('POST', '/chat', { json: { message: 'remember the onsen', session_id: 'aws' } });
  expect(one.status).toBe(200);
  model.reply((messages) => ({ text: `${messages.filter((m) => !isSystemMessage(m)).length} messages so far` }));
  const two = await h.call('POST', '/chat', { json: { message: 'and now?', session_id: 'aws' } });
  expect(two.body).toMatchObject({ conversation_turn: 2, message: { content: '3 messages so far' } });
  const sessions = await h.call('GET', '/chat/sessions');
  expect(sessions.body.sessions).toEqual([expect.objectContaining({ session_id: 'aws', title: 'remember the onsen', message_count: 4 })]);
  const history = await h.call('GET', '/chat/aws/history');
  expect(history.body.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  expect(await runChatCleanup(await h.services.chatStore())).toMatchObject({ store: 'dynamodb', active_sessions: 1, expired_sessions: 0 });
  expect((await h.call('DELETE', '/chat/aws')).status).toBe(200);
  expect((await h.call('GET', '/chat/sessions')).body.sessions).toEqual([]);
});
