/**
 * THE definition of the chat table (DESIGN.md §5). Everything else derives from it: the
 * CreateTable / UpdateTimeToLive inputs below (tests, local tooling), the attribute names the
 * adapter reads and writes, and the AWS CDK stack, which maps this object 1:1 onto
 * `dynamodb.TableV2` props (`{ name, type: 'S' }` is CDK's `Attribute`, `'S'` is
 * `AttributeType.STRING`, `'ALL'` is `ProjectionType.ALL`, `'PAY_PER_REQUEST'` is
 * `BillingMode.PAY_PER_REQUEST` / `Billing.onDemand()`).
 *
 * One partition per chat thread (`pk` = `{userId}#{sessionId}`); the sort key tells the
 * records of a thread apart (layout in keys.ts). `expires_at` is the TTL attribute: epoch
 * SECONDS, a Number, as DynamoDB TTL requires. Only session records carry `user_id` and
 * `last_activity`, so the GSI is sparse: it holds exactly one entry per session, which is what
 * listing a user's sessions (newest activity first) and the cleanup job need.
 *
 * `last_activity` is an ISO-8601 string (`Date.toISOString()`, always 24 characters, UTC):
 * it sorts lexicographically in time order, reads well in the console, and is what the API
 * returns anyway, so nothing converts back and forth.
 *
 * The index projects ALL attributes: it is sparse and session records hold nothing but the
 * session fields, so ALL costs the same as INCLUDE, and a session field added later needs no
 * index rebuild (a GSI's projection cannot be changed in place).
 */
import type { CreateTableCommandInput, UpdateTimeToLiveCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttribute {
  readonly name: string;
  /** S: string, N: number, B: binary (CDK `AttributeType` values). */
  readonly type: 'S' | 'N' | 'B';
}

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly nonKeyAttributes?: readonly string[];
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly timeToLiveAttribute?: string;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
}

export const CHAT_TABLE = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'expires_at',
  globalSecondaryIndexes: [
    {
      indexName: 'user_id-last_activity-index',
      partitionKey: { name: 'user_id', type: 'S' },
      sortKey: { name: 'last_activity', type: 'S' },
      projectionType: 'ALL',
    },
  ],
} as const satisfies TableDefinition;

/** The sparse index of session records, by user, newest activity last (query it descending). */
export const SESSIONS_INDEX = CHAT_TABLE.globalSecondaryIndexes[0];

/** Attribute names the adapter uses for the table's keys and TTL, all taken from CHAT_TABLE. */
export const ATTR = {
  pk: CHAT_TABLE.partitionKey.name,
  sk: CHAT_TABLE.sortKey.name,
  expiresAt: CHAT_TABLE.timeToLiveAttribute,
  userId: SESSIONS_INDEX.partitionKey.name,
  lastActivity: SESSIONS_INDEX.sortKey.name,
} as const;

export function createTableInput(tableName: string, table: TableDefinition = CHAT_TABLE): CreateTableCommandInput {
  const keyAttributes: KeyAttribute[] = [table.partitionKey];
  if (table.sortKey) keyAttributes.push(table.sortKey);
  for (const index of table.globalSecondaryIndexes) {
    keyAttributes.push(index.partitionKey);
    if (index.sortKey) keyAttributes.push(index.sortKey);
  }
  // Every key attribute is declared once, with one type, however many keys it takes part in.
  const definitions = new Map<string, KeyAttribute['type']>();
  for (const { name, type } of keyAttributes) {
    const known = definitions.get(name);
    if (known && known !== type) throw new Error(`Attribute ${name} is used as both ${known} and ${type}`);
    definitions.set(name, type);
  }
  const keySchema = (partition: KeyAttribute, sort?: KeyAttribute) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: table.billingMode,
    AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalSecondaryIndexes.length > 0 && {
      GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: {
          ProjectionType: index.projectionType,
          ...(index.nonKeyAttributes && { NonKeyAttributes: [...index.nonKeyAttributes] }),
        },
      })),
    }),
  };
}

/** TTL is not part of CreateTable: it is switched on afterwards with this input. */
export function enableTtlInput(tableName: string, table: TableDefinition = CHAT_TABLE): UpdateTimeToLiveCommandInput {
  if (!table.timeToLiveAttribute) throw new Error('The table definition has no TTL attribute');
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
  };
}
