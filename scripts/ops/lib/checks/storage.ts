/** Checks of the stores the functions keep state in: the DynamoDB chat table and the S3 bucket. */
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CHAT_TABLE } from '../../../../src/contracts/chat-table.js';
import { clientConfig } from '../aws.js';
import { OUTPUT_KEYS } from '../stack.js';
import { fail, output, pass, skip, type InfraCheck } from './shared.js';

export const dynamodbCheck: InfraCheck = {
  id: 'dynamodb',
  title: 'DynamoDB chat table, keys and TTL',
  async run(state) {
    const table = output(state, OUTPUT_KEYS.chatTable);
    if (!table) return skip(`no ${OUTPUT_KEYS.chatTable} output`);
    const ddb = new DynamoDBClient(clientConfig({ ...state.ctx, region: state.region }));
    try {
      const { Table: t } = await ddb.send(new DescribeTableCommand({ TableName: table }));
      const { TimeToLiveDescription: ttl } = await ddb.send(new DescribeTimeToLiveCommand({ TableName: table }));
      const problems: string[] = [];
      if (t?.TableStatus !== 'ACTIVE') problems.push(`status ${t?.TableStatus}`);
      const key = (name: string, type: string) => t?.KeySchema?.some((k) => k.AttributeName === name && k.KeyType === type);
      if (!key(CHAT_TABLE.partitionKey.name, 'HASH') || !key(CHAT_TABLE.sortKey.name, 'RANGE'))
        problems.push('key schema differs from CHAT_TABLE');
      const billing = t?.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
      if (billing !== CHAT_TABLE.billingMode) problems.push(`billing ${billing}`);
      const gsi = t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === CHAT_TABLE.globalSecondaryIndexes[0].indexName);
      if (!gsi) problems.push(`no index ${CHAT_TABLE.globalSecondaryIndexes[0].indexName}`);
      else if (gsi.IndexStatus !== 'ACTIVE') problems.push(`index ${gsi.IndexStatus}`);
      if (ttl?.TimeToLiveStatus !== 'ENABLED' || ttl.AttributeName !== CHAT_TABLE.timeToLiveAttribute) {
        problems.push(
          `TTL ${ttl?.TimeToLiveStatus ?? 'unknown'} on ${ttl?.AttributeName ?? '(none)'}, expected ENABLED on ${CHAT_TABLE.timeToLiveAttribute}`,
        );
      }
      const detail = `${table}: ${t?.TableStatus}, ${billing}, TTL ${ttl?.TimeToLiveStatus} on ${ttl?.AttributeName ?? '-'}`;
      return problems.length ? fail(`${detail}; ${problems.join('; ')}`) : pass(detail);
    } finally {
      ddb.destroy();
    }
  },
};

export const s3Check: InfraCheck = {
  id: 's3',
  title: 'S3 round trip (put, get, delete)',
  async run(state) {
    const bucket = output(state, OUTPUT_KEYS.bucket);
    if (!bucket) return skip(`no ${OUTPUT_KEYS.bucket} output`);
    const s3 = new S3Client(clientConfig({ ...state.ctx, region: state.region }));
    // Outside `{user}/originals/`, so no pipeline rule reacts to it.
    const key = `ops-test/${randomUUID()}.txt`;
    const body = `collections infra test ${new Date().toISOString()}`;
    try {
      const t0 = Date.now();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = await got.Body?.transformToString();
      const sse = got.ServerSideEncryption;
      if (text !== body) return fail(`read back ${text?.length ?? 0} bytes that differ from what was written`);
      return pass(`s3://${bucket}/${key} written and read back in ${Date.now() - t0} ms (encryption: ${sse ?? 'none'})`);
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      s3.destroy();
    }
  },
};
