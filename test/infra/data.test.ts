import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput, enableTtlInput, CHAT_TABLE } from '../../src/contracts/chat-table.js';
import { ENVIRONMENTS, type DeploymentEnv } from '../../src/contracts/aws.js';
import { objectKeys } from '../../src/domain/item.js';
import { CHAT_PAYLOAD_DAYS, CHAT_PAYLOAD_TAG, THUMBNAIL_TAG } from '../../infra/lib/storage.js';
import { logicalIdOf, removeOutdirs, resource, resourcesOfType, synthesizeAll, type Synthesized } from './helpers.js';

/** Database, network, chat table, bucket, tags and outputs, per environment. */

let envs: Record<DeploymentEnv, Synthesized>;
beforeAll(() => {
  envs = synthesizeAll();
});
afterAll(removeOutdirs);

const EXPECTED = {
  dev: { instance: 'db.t4g.micro', storage: '20', multiAz: false, deletionProtection: false, backups: 0, retain: false, nat: 'instance' },
  test: { instance: 'db.t4g.small', storage: '20', multiAz: false, deletionProtection: false, backups: 7, retain: false, nat: 'instance' },
  prod: { instance: 'db.t4g.small', storage: '50', multiAz: true, deletionProtection: true, backups: 30, retain: true, nat: 'gateway' },
} as const;

describe.each(ENVIRONMENTS)('%s: database', (env) => {
  const want = EXPECTED[env];

  it('is RDS PostgreSQL 16, private, encrypted, sized for the environment', () => {
    const { json, stack } = envs[env];
    const db = resource(json, stack.database.instance);
    expect(db.Properties).toMatchObject({
      Engine: 'postgres',
      EngineVersion: '16',
      DBInstanceClass: want.instance,
      AllocatedStorage: want.storage,
      StorageType: 'gp3',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      MultiAZ: want.multiAz,
      DeletionProtection: want.deletionProtection,
      BackupRetentionPeriod: want.backups,
    });
    expect(Number(db.Properties.MaxAllocatedStorage)).toBeGreaterThan(Number(want.storage));
    expect(db.DeletionPolicy).toBe(want.retain ? 'Snapshot' : 'Delete');
  });

  it('keeps its credentials in Secrets Manager and sits in the isolated subnets', () => {
    const { json, stack } = envs[env];
    const db = resource(json, stack.database.instance);
    expect(JSON.stringify(db.Properties.MasterUserPassword)).toContain(logicalIdOf(stack.database.secret));
    expect(JSON.stringify(db.Properties.MasterUserPassword)).toContain('resolve:secretsmanager');
    const isolated = stack.database.vpc.isolatedSubnets.map((s) => ({ Ref: logicalIdOf(s) }));
    const group = resourcesOfType(json, 'AWS::RDS::DBSubnetGroup')[0]![1];
    expect(group.Properties.SubnetIds).toEqual(isolated);
  });

  it("admits on the database port only the functions, the secret rotation (and the operators' bastion)", () => {
    const { json, stack } = envs[env];
    const ingress = resourcesOfType(json, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    const source = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });
    const groups = (c: { connections: { securityGroups: IConstruct[] } }) =>
      c.connections.securityGroups.map((g) => source(logicalIdOf(g)));
    const allowed = [
      source(logicalIdOf(stack.database.functionSecurityGroup)),
      source(logicalIdOf(stack.node.findChild('Database').node.findChild('RotationSecurityGroup'))),
      ...('bastion' in stack ? groups(stack.bastion as never) : []),
    ];
    expect(ingress.map((i) => i.SourceSecurityGroupId)).toEqual(expect.arrayContaining(allowed.slice(0, 2)));
    for (const rule of ingress) {
      expect(allowed).toContainEqual(rule.SourceSecurityGroupId);
      expect(rule).toMatchObject({
        IpProtocol: 'tcp',
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseInstanceSecurityGroup/), 'GroupId'] },
      });
    }
  });

  it(`egresses through a NAT ${want.nat}, with free gateway endpoints only`, () => {
    const { json } = envs[env];
    expect(resourcesOfType(json, 'AWS::EC2::NatGateway')).toHaveLength(want.nat === 'gateway' ? 1 : 0);
    // Not the bastion of db-connect (test/infra/bastion.test.ts): only NAT instances here.
    const instances = resourcesOfType(json, 'AWS::EC2::Instance').filter(([id]) => !id.startsWith('Bastion'));
    expect(instances).toHaveLength(want.nat === 'instance' ? 1 : 0);
    if (want.nat === 'instance') expect(instances[0]![1].Properties).toMatchObject({ InstanceType: 't4g.nano', SourceDestCheck: false });
    const endpoints = resourcesOfType(json, 'AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties);
    expect(endpoints.map((e) => e.VpcEndpointType ?? 'Gateway')).toEqual(['Gateway', 'Gateway']);
    expect(JSON.stringify(endpoints)).toMatch(/\.s3/);
    expect(JSON.stringify(endpoints)).toMatch(/\.dynamodb/);
    expect(resourcesOfType(json, 'AWS::EC2::FlowLog')[0]![1].Properties.TrafficType).toBe('REJECT');
  });

  it('runs the migrations through a custom resource backed by the migrate function, before the functions update', () => {
    const { json, stack } = envs[env];
    const migration = resource(json, stack.database.migration);
    expect(migration.Type).toBe('Custom::CollectionsMigrations');
    const migrateId = logicalIdOf(stack.database.migrate.function);
    // Re-runs whenever a new version of the migrate bundle (code + SQL) is published.
    expect(JSON.stringify(migration.Properties.MigrateVersion)).toContain('Version');
    const framework = resourcesOfType(json, 'AWS::Lambda::Function').find(([id]) => id.includes('MigrationProviderframeworkonEvent'))![1];
    expect(framework.Properties.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN).toEqual({ 'Fn::GetAtt': [migrateId, 'Arn'] });
    expect(migration.DependsOn).toContain(logicalIdOf(stack.database.instance));
    for (const fn of Object.values(stack.compute.functions)) {
      expect(resource(json, fn.function).DependsOn).toContain(logicalIdOf(stack.database.migration));
    }
  });

  it('maps the chat table 1:1 from CHAT_TABLE', () => {
    const { json, stack } = envs[env];
    const table = resource(json, stack.database.chatTable);
    const expected = createTableInput('unused');
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName));
    expect([...table.Properties.AttributeDefinitions].sort(byName)).toEqual([...expected.AttributeDefinitions!].sort(byName));
    expect(table.Properties.KeySchema).toEqual(expected.KeySchema);
    expect(table.Properties.BillingMode).toBe(CHAT_TABLE.billingMode);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
    expect(table.Properties.TimeToLiveSpecification).toEqual(enableTtlInput('unused').TimeToLiveSpecification);
  });

  it(`${want.retain ? 'protects' : 'does not retain'} the chat table`, () => {
    const { json, stack } = envs[env];
    const table = resource(json, stack.database.chatTable);
    expect(table.DeletionPolicy).toBe(want.retain ? 'Retain' : 'Delete');
    expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: want.retain });
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(want.retain);
  });
});

describe.each(ENVIRONMENTS)('%s: storage', (env) => {
  const want = EXPECTED[env];

  it('is private, encrypted, TLS-only and sends its events to EventBridge', () => {
    const { json, stack } = envs[env];
    const bucket = resource(json, stack.storage.bucket);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalIdOf(stack.storage.accessLogs) });
    const policies = resourcesOfType(json, 'AWS::S3::BucketPolicy').filter(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalIdOf(stack.storage.bucket) }),
    );
    expect(JSON.stringify(policies[0]![1].Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    const notifications = resourcesOfType(json, 'Custom::S3BucketNotifications')[0]![1];
    expect(notifications.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: {} });
  });

  it(`${want.retain ? 'is versioned and retained' : 'is unversioned and removable'}`, () => {
    const { json, stack } = envs[env];
    const bucket = resource(json, stack.storage.bucket);
    expect(bucket.Properties.VersioningConfiguration?.Status).toBe(want.retain ? 'Enabled' : undefined);
    expect(bucket.DeletionPolicy).toBe(want.retain ? 'Retain' : 'Delete');
  });

  it('allows CORS from the configured origins only', () => {
    const { json, stack, config } = envs[env];
    const rules = resource(json, stack.storage.bucket).Properties.CorsConfiguration.CorsRules;
    expect(rules).toHaveLength(1);
    // The configured origins, and the web app's CloudFront origin (web-hosting.ts).
    expect(rules[0].AllowedOrigins).toEqual([...config.corsOrigins, stack.resolve(stack.web.origin)]);
    expect(rules[0].AllowedOrigins).not.toContain('*');
  });
});

/** How S3 applies a lifecycle rule's filter to an object (prefix AND tags AND size). */
function ruleMatches(rule: any, object: { key: string; tags: Record<string, string>; size: number }): boolean {
  if (rule.Prefix !== undefined && !object.key.startsWith(rule.Prefix)) return false;
  for (const { Key, Value } of rule.TagFilters ?? []) if (object.tags[Key] !== Value) return false;
  if (rule.ObjectSizeGreaterThan !== undefined && !(object.size > Number(rule.ObjectSizeGreaterThan))) return false;
  if (rule.ObjectSizeLessThan !== undefined && !(object.size < Number(rule.ObjectSizeLessThan))) return false;
  return true;
}

describe('the thumbnail lifecycle rule', () => {
  const rules = () => {
    const { json, stack } = envs.prod;
    return resource(json, stack.storage.bucket).Properties.LifecycleConfiguration.Rules as any[];
  };
  type StoredObject = { key: string; tags: Record<string, string>; size: number };
  const thumbnail: StoredObject = {
    key: objectKeys.thumbnail('user-1', 'item-1'),
    tags: { [THUMBNAIL_TAG.key]: THUMBNAIL_TAG.value },
    size: 30_000,
  };
  const smallOriginal: StoredObject = { key: objectKeys.original('user-1', 'item-2', 'png'), tags: {}, size: 20_000 };

  it('matches a real thumbnail key (by tag: every key starts with the user id, so a prefix cannot)', () => {
    const rule = rules().find((r) => r.Id === 'thumbnails-old-versions');
    expect(rule.Prefix).toBeUndefined();
    expect(ruleMatches(rule, thumbnail)).toBe(true);
    expect(ruleMatches(rule, smallOriginal)).toBe(false);
    // What a prefix rule would have done: match nothing.
    expect(ruleMatches({ Prefix: 'thumbnails/' }, thumbnail)).toBe(false);
  });

  it('expires offloaded chat payloads by their tag (orphans of a DynamoDB TTL deletion), and nothing else', () => {
    const rule = rules().find((r) => r.Id === 'chat-payloads');
    const payload: StoredObject = {
      key: `user-1/chat/s1/${'a'.repeat(64)}.bin`,
      tags: { [CHAT_PAYLOAD_TAG.key]: CHAT_PAYLOAD_TAG.value },
      size: 500_000,
    };
    expect(rule.ExpirationInDays).toBe(CHAT_PAYLOAD_DAYS);
    expect(ruleMatches(rule, payload)).toBe(true);
    for (const other of [thumbnail, smallOriginal]) expect(ruleMatches(rule, other)).toBe(false);
    // No other rule expires current objects: originals and thumbnails live until the user deletes them.
    for (const r of rules().filter((x) => x.Id !== 'chat-payloads')) expect(r.ExpirationInDays).toBeUndefined();
  });

  it('expires old thumbnail versions sooner than those of originals', () => {
    const applying = (o: StoredObject) => rules().filter((r) => r.NoncurrentVersionExpiration && ruleMatches(r, o));
    const days = (o: StoredObject) => Math.min(...applying(o).map((r) => r.NoncurrentVersionExpiration.NoncurrentDays));
    expect(days(thumbnail)).toBe(1);
    expect(days(smallOriginal)).toBe(30);
  });
});

describe.each(ENVIRONMENTS)('%s: stack', (env) => {
  it('is tagged Environment, Project, ManagedBy', () => {
    const { json, stack } = envs[env];
    const tags = [
      { Key: 'Environment', Value: env },
      { Key: 'ManagedBy', Value: 'CDK' },
      { Key: 'Project', Value: 'Collections' },
    ];
    for (const construct of [stack.storage.bucket, stack.database.instance, stack.compute.functions.api.function, stack.database.vpc]) {
      expect(resource(json, construct).Properties.Tags).toEqual(expect.arrayContaining(tags));
    }
  });

  it('outputs what the operations scripts read', () => {
    const outputs = Object.keys(envs[env].json.Outputs ?? {});
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'UserPoolId',
        'UserPoolClientId',
        'BucketName',
        'ChatTableName',
        'DashboardName',
        'ImageProcessorDlqUrl',
        'AnalyzerDlqUrl',
        'EmbedderDlqUrl',
        'CleanupDlqUrl',
        'ApiFunctionName',
        'MigrateFunctionName',
      ]),
    );
  });

  it('stays well below the 500-resource limit of a CloudFormation stack', () => {
    expect(Object.keys(envs[env].json.Resources).length).toBeLessThan(250);
  });
});
