import * as vitest from 'vitest';
import type { CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { DynamoDbSaver } from '../../src/adapters/chat-store/dynamodb/saver.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../helpers/dynamodb-local.js';

// The validation suite calls describe/it/expect/beforeAll… as globals (vitest's `globals`
// option, which this project leaves off), so they are provided before it is loaded.
const { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } = vitest;
Object.assign(globalThis, { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach });
const { validate, deltaChannelHistoryTests } = await import('@langchain/langgraph-checkpoint-validation');

let local: DynamoDbLocal | undefined;

// Every checkpointer gets a table of its own, so each starts from empty storage.
const initializer: CheckpointSaverTestInitializer<DynamoDbSaver> = {
  checkpointerName: 'DynamoDbSaver',
  beforeAllTimeout: 60_000,
  async beforeAll() {
    local = await startDynamoDbLocal();
  },
  async afterAll() {
    await local?.stop();
  },
  async createCheckpointer() {
    if (!local) throw new Error('DynamoDB Local is not running');
    const tableName = await local.createTable({ ttl: true });
    return new DynamoDbSaver({ client: local.client, tableName, ttlMs: 3600_000 });
  },
  async destroyCheckpointer(saver) {
    await local?.deleteTable(saver.tableName);
  },
};

validate(initializer);
// Opt-in part of the suite (getDeltaChannelHistory is beta): the saver inherits the base walk,
// which depends on getTuple returning parents and writes in order, so it is checked here too.
deltaChannelHistoryTests(initializer);
