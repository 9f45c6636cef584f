/**
 * The AWS home's ChatStore (DESIGN.md §5): checkpoints through DynamoDbSaver, plus per thread
 * a session record (`sk = session`, the only record in the sparse by-user GSI) and a lock
 * record (`sk = lock`), all in the thread's partition of the one chat table (table.ts).
 *
 * Session records keep `expires_at` (epoch seconds, DynamoDB's TTL attribute) and the exact
 * `expires_at_iso` the API reports; a session is visible until the latter. The lock is a
 * record of its own rather than an attribute of the session record: a turn takes it before
 * the session exists, and taking it must neither make a session appear nor extend its life.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { threadId, type ChatSession, type ChatStore, type PurgeReport, type TurnLock, type TurnRecord } from '../../../ports/chat-store.js';
import type { ObjectStore } from '../../../ports/object-store.js';
import { documentClient, isConditionalCheckFailed, queryItems, scanItems, type RetryPolicy } from './dynamo.js';
import { LOCK_SK, SESSION_SK } from './keys.js';
import type { PayloadLimits } from './payload.js';
import { DynamoDbSaver } from './saver.js';
import { ATTR, SESSIONS_INDEX } from '../../../contracts/chat-table.js';

export interface DynamoDbChatStoreOptions {
  /**
   * A client the caller keeps (close() leaves it alone). Without it the store makes one from
   * `clientConfig` and destroys it on close().
   */
  client?: DynamoDBClient | DynamoDBDocumentClient;
  clientConfig?: DynamoDBClientConfig;
  tableName: string;
  /** Time to live after the last activity. */
  ttlMs: number;
  now?: () => Date;
  /** Where checkpoint payloads too large for a record go (else they are split across records). */
  blobs?: ObjectStore;
  limits?: Partial<PayloadLimits>;
  retry?: RetryPolicy;
}

const sessionRecord = z.object({
  [ATTR.pk]: z.string(),
  [ATTR.userId]: z.string(),
  session_id: z.string(),
  title: z.string(),
  created_at: z.string(),
  [ATTR.lastActivity]: z.string(),
  message_count: z.number().int(),
  expires_at_iso: z.string(),
});
type SessionRecord = z.infer<typeof sessionRecord>;

const toSession = (record: SessionRecord): ChatSession => ({
  session_id: record.session_id,
  title: record.title,
  created_at: record.created_at,
  last_activity: record[ATTR.lastActivity],
  message_count: record.message_count,
  expires_at: record.expires_at_iso,
});

/** How often recordTurn retries when a concurrent write keeps changing its session's state. */
const RECORD_TURN_ATTEMPTS = 3;

export class DynamoDbChatStore implements ChatStore {
  readonly kind = 'dynamodb' as const;
  readonly ttlMs: number;
  readonly saver: DynamoDbSaver;
  readonly tableName: string;
  private readonly doc: DynamoDBDocumentClient;
  private readonly ownedClient: DynamoDBClient | undefined;
  private readonly clock: () => Date;

  constructor(options: DynamoDbChatStoreOptions) {
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.ownedClient = options.client ? undefined : new DynamoDBClient(options.clientConfig ?? {});
    const client = options.client ?? this.ownedClient!;
    this.doc = documentClient(client);
    this.tableName = options.tableName;
    this.ttlMs = options.ttlMs;
    this.clock = options.now ?? (() => new Date());
    this.saver = new DynamoDbSaver({
      client: this.doc,
      tableName: options.tableName,
      ttlMs: options.ttlMs,
      now: this.clock,
      blobs: options.blobs,
      limits: options.limits,
      retry: options.retry,
    });
  }

  async acquireTurn(userId: string, sessionId: string, holdMs: number): Promise<TurnLock | null> {
    if (!(holdMs > 0)) throw new RangeError('holdMs must be positive');
    const key = { [ATTR.pk]: threadId(userId, sessionId), [ATTR.sk]: LOCK_SK };
    const owner = randomUUID();
    const now = this.clock().getTime();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          // A hold whose time is up is free, so a turn that died cannot keep the session.
          UpdateExpression: 'SET lock_owner = :owner, lock_until = :until, #exp = :expires',
          ConditionExpression: 'attribute_not_exists(lock_until) OR lock_until < :now',
          ExpressionAttributeNames: { '#exp': ATTR.expiresAt },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': now + holdMs,
            ':now': now,
            // DynamoDB may delete the record once the hold has lapsed.
            ':expires': Math.ceil((now + holdMs) / 1000),
          },
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        try {
          // Only our own hold: after it lapsed another turn may have taken the session.
          await this.doc.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: key,
              ConditionExpression: 'lock_owner = :owner',
              ExpressionAttributeValues: { ':owner': owner },
            }),
          );
        } catch (err) {
          if (!isConditionalCheckFailed(err)) throw err;
        }
        released = true;
      },
    };
  }

  async recordTurn(userId: string, sessionId: string, turn: TurnRecord): Promise<ChatSession> {
    const now = this.clock();
    const expiry = new Date(now.getTime() + this.ttlMs);
    const values = {
      ':user': userId,
      ':session': sessionId,
      ':title': turn.title,
      ':now': now.toISOString(),
      ':count': turn.messageCount,
      ':expires': Math.ceil(expiry.getTime() / 1000),
      ':expiresIso': expiry.toISOString(),
    };
    const common = [
      `${ATTR.userId} = :user`,
      'session_id = :session',
      `${ATTR.lastActivity} = :now`,
      'message_count = :count',
      '#exp = :expires',
      'expires_at_iso = :expiresIso',
    ].join(', ');
    // One atomic UpdateItem either way. A live session keeps its title and start; a new one,
    // or one that expired but was not deleted yet, starts afresh. Which case applies is
    // decided by the condition, so two turns racing cannot both "create" the session.
    const attempts = [
      {
        update: `SET ${common}, title = if_not_exists(title, :title), created_at = if_not_exists(created_at, :now)`,
        condition: `attribute_not_exists(${ATTR.pk}) OR expires_at_iso > :now`,
      },
      { update: `SET ${common}, title = :title, created_at = :now`, condition: 'expires_at_iso <= :now' },
    ];
    for (let round = 0; round < RECORD_TURN_ATTEMPTS; round++) {
      for (const { update, condition } of attempts) {
        try {
          const { Attributes } = await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { [ATTR.pk]: threadId(userId, sessionId), [ATTR.sk]: SESSION_SK },
              UpdateExpression: update,
              ConditionExpression: condition,
              ExpressionAttributeNames: { '#exp': ATTR.expiresAt },
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
            }),
          );
          return toSession(sessionRecord.parse(Attributes));
        } catch (err) {
          if (!isConditionalCheckFailed(err)) throw err;
        }
      }
    }
    throw new Error(`Could not record the turn of session ${sessionId}: it kept changing concurrently`);
  }

  async getSession(userId: string, sessionId: string): Promise<ChatSession | null> {
    const record = await this.readSession(threadId(userId, sessionId));
    if (!record || record[ATTR.userId] !== userId || !this.isLive(record)) return null;
    return toSession(record);
  }

  async listSessions(userId: string, options: { limit?: number } = {}): Promise<ChatSession[]> {
    const { limit } = options;
    if (limit !== undefined && limit <= 0) return [];
    const sessions: ChatSession[] = [];
    // The index is eventually consistent: a turn recorded a moment ago may show a moment later.
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: SESSIONS_INDEX.indexName,
      KeyConditionExpression: '#user = :user',
      ExpressionAttributeNames: { '#user': ATTR.userId },
      ExpressionAttributeValues: { ':user': userId },
      ScanIndexForward: false,
      Limit: limit,
    })) {
      const record = sessionRecord.parse(item);
      if (!this.isLive(record)) continue;
      sessions.push(toSession(record));
      if (limit !== undefined && sessions.length >= limit) break;
    }
    return sessions;
  }

  async deleteSession(userId: string, sessionId: string): Promise<boolean> {
    const { visible } = await this.saver.deleteThreadRecords(threadId(userId, sessionId));
    return visible > 0;
  }

  /**
   * Counts session records through the sparse index (one entry per session, so this reads
   * sessions, not checkpoints) and deletes the threads of expired ones. Records of threads
   * without a session record (a turn that failed before recordTurn) are left to DynamoDB's
   * own TTL deletion, which removes every record of the table in time anyway.
   */
  async purgeExpired(): Promise<PurgeReport> {
    const report: PurgeReport = { active_sessions: 0, expired_sessions: 0, purged_sessions: 0, purged_records: 0 };
    const expired: string[] = [];
    for await (const item of scanItems(this.doc, {
      TableName: this.tableName,
      IndexName: SESSIONS_INDEX.indexName,
      ProjectionExpression: '#pk, expires_at_iso',
      ExpressionAttributeNames: { '#pk': ATTR.pk },
    })) {
      const record = sessionRecord.pick({ [ATTR.pk]: true, expires_at_iso: true }).parse(item);
      if (this.isLive(record)) {
        report.active_sessions++;
      } else {
        expired.push(record[ATTR.pk]);
      }
    }
    for (const thread of expired) {
      // The index lags; a consistent read says whether a turn has revived the session since.
      const current = await this.readSession(thread);
      if (current && this.isLive(current)) {
        report.active_sessions++;
        continue;
      }
      report.expired_sessions++;
      if (!current) continue; // deleted meanwhile (deleteSession, or DynamoDB's TTL)
      const { records } = await this.saver.deleteThreadRecords(thread);
      report.purged_sessions++;
      report.purged_records += records;
    }
    return report;
  }

  async close(): Promise<void> {
    this.ownedClient?.destroy();
  }

  private isLive(record: { expires_at_iso: string }): boolean {
    return record.expires_at_iso > this.clock().toISOString();
  }

  private async readSession(thread: string): Promise<SessionRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [ATTR.pk]: thread, [ATTR.sk]: SESSION_SK },
        ConsistentRead: true,
      }),
    );
    return Item ? sessionRecord.parse(Item) : undefined;
  }
}
