import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config.js';
import { OBJECT_TAGS } from '../../src/domain/item.js';
import { acknowledge } from './nag.js';

/**
 * Storage: one bucket for originals, thumbnails and large chat payloads, keyed
 * `{userId}/originals/{itemId}.{ext}`, `{userId}/thumbnails/{itemId}.webp`,
 * `{userId}/chat/{sessionId}/{sha256}.bin`.
 *
 * - Private: public access blocked, bucket-owner-enforced ownership, TLS only, SSE-S3 (SSE-KMS
 *   would add a KMS request to every upload, download and thumbnail for no gain here).
 * - `eventBridgeEnabled`: "Object Created" reaches the image processor through the default bus
 *   (the rule's pattern is EVENT_PATTERNS.imageProcessor, see compute.ts).
 * - CORS: only the configured web origins may PUT/POST (presigned uploads) and GET.
 * - prod: versioning and RETAIN (a deleted or overwritten image can be recovered for 30 days);
 *   dev/test: DESTROY with auto-deleted objects so an environment can be torn down.
 * - Lifecycle: every key starts with the user id, so a prefix filter cannot single out
 *   thumbnails (`thumbnails/` matches nothing). The thumbnail rule filters on the object tag
 *   `THUMBNAIL_TAG` instead, which the image processor sets when it writes a thumbnail; a size
 *   filter would also catch small originals. Thumbnails are derived data: their old versions
 *   expire after a day, other objects' after 30 (versioned prod bucket; harmless elsewhere).
 * - Server access logs go to a second bucket (cdk-nag S1), kept as long as the other logs:
 *   a few cents a month, and the only record of who read which image.
 *
 * Cost: $0.023/GB-month (Standard) + requests; e.g. 10,000 screenshots of ~1 MB ≈ $0.25/month.
 */

/**
 * The tag the image processor puts on thumbnails (PutObject `Tagging: kind=thumbnail`, which
 * needs s3:PutObjectTagging; OBJECT_TAGS in src/domain/item.ts): what the thumbnail lifecycle
 * rule matches.
 */
export const THUMBNAIL_TAG = { key: 'kind', value: OBJECT_TAGS.thumbnail.kind } as const;

/**
 * Large chat checkpoints offloaded from DynamoDB carry this tag. The cleanup job deletes them
 * with their expired session; should DynamoDB's TTL delete the records first (it may, within
 * days of expiry), nothing would point at the objects any more, so they expire by this tag after
 * CHAT_PAYLOAD_DAYS, far beyond any session's life (4 h idle TTL).
 */
export const CHAT_PAYLOAD_TAG = { key: 'kind', value: OBJECT_TAGS.chatPayload.kind } as const;
export const CHAT_PAYLOAD_DAYS = 30;

export interface StorageProps {
  readonly config: EnvironmentConfig;
}

export class Storage extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { config } = props;
    const removal = config.retainData
      ? { removalPolicy: RemovalPolicy.RETAIN }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };
    const privateBucket = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      ...removal,
    };

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.logRetentionDays) }],
    });
    acknowledge(this.accessLogs, [['AwsSolutions-S1', 'This is the access-log bucket itself; logging it into itself would loop.']]);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucket,
      versioned: config.retainData,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'images/',
      cors: [
        {
          allowedOrigins: config.corsOrigins,
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.PUT, s3.HttpMethods.POST],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'thumbnails-old-versions',
          tagFilters: { [THUMBNAIL_TAG.key]: THUMBNAIL_TAG.value },
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'chat-payloads',
          tagFilters: { [CHAT_PAYLOAD_TAG.key]: CHAT_PAYLOAD_TAG.value },
          expiration: Duration.days(CHAT_PAYLOAD_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'old-versions', noncurrentVersionExpiration: Duration.days(30), expiredObjectDeleteMarker: true },
      ],
    });
  }
}
