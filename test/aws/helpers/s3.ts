import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { fromS3rverRecord } from './events.js';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Environment for the app's S3 store (credentials are s3rver's own). */
  env: Record<string, string>;
  /** "Object Created" events, as EventBridge would deliver them, for every object s3rver stored. */
  created: S3ObjectCreatedNotificationEvent[];
  stop(): Promise<void>;
}

/** s3rver on a free loopback port with one bucket; its S3 notifications are kept as EventBridge events. */
export async function startLocalS3(bucket = 'collections-test'): Promise<LocalS3> {
  const dir = await mkdtemp(path.join(tmpdir(), 'collections-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const created: S3ObjectCreatedNotificationEvent[] = [];
  (server as unknown as NodeJS.EventEmitter).on('event', (event: { Records: Parameters<typeof fromS3rverRecord>[0][] }) => {
    for (const record of event.Records) if (record.eventName.startsWith('ObjectCreated:')) created.push(fromS3rverRecord(record));
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_FORCE_PATH_STYLE: 'true', S3_REGION: 'us-east-1' },
    created,
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What a browser does with an upload ticket: a multipart form POST, fields first, the file last. */
export async function postForm(ticket: { url: string; fields: Record<string, string> }, bytes: Uint8Array, contentType: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'upload');
  return fetch(ticket.url, { method: 'POST', body: form });
}
