import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CHAT_TABLE, type KeyAttribute, type TableDefinition } from '../../src/contracts/chat-table.js';
import type { EnvironmentConfig } from './config.js';
import { APP_DATABASE_USER } from '../../src/contracts/aws.js';
import { AppFunction, type BundlingMode } from './functions.js';
import { DATABASE_NAME, databaseParameterGroup, grantDatabaseSecret, rotateMasterSecret } from './database-access.js';
import { acknowledge, wildcardResourceFinding } from './nag.js';

/**
 * Database: the network, RDS PostgreSQL 16 (+ pgvector), the migration step of every
 * deployment, and the DynamoDB table of chat sessions.
 *
 * Network — three subnet tiers in two AZs: public (the NAT only), private with egress (the
 * functions that reach the database) and isolated (RDS, no route out).
 * - Gateway endpoints for S3 and DynamoDB: free, and they carry the bulk of the traffic (images).
 * - No interface endpoints (SSM, Secrets Manager, EventBridge, Bedrock runtime): each costs
 *   ~$7.30/month per AZ, so the four would cost ~$58/month in two AZs, more than the NAT they
 *   would not even replace — the analyzer, embedder and api must reach Anthropic / OpenAI /
 *   Voyage / Tavily on the internet anyway. Those few kilobytes of AWS API calls use the NAT.
 * - NAT per environment (cdk.context.json `nat`): dev/test a t4g.nano NAT instance (~$3.07 +
 *   ~$0.65 EBS + $3.65 public IPv4 ≈ $7.40/month, single point of failure, fine for them);
 *   prod a managed NAT gateway ($32.85 + $3.65 IPv4 ≈ $36.50/month + $0.045/GB processed), one
 *   AZ (`count: 2` doubles it for AZ-independent egress).
 * - VPC flow logs of rejected traffic only (what a security review needs, a fraction of the
 *   volume of ALL), kept as long as the other logs.
 *
 * Database — RDS PostgreSQL 16 in the isolated subnets, never publicly accessible, encrypted,
 * gp3 with storage autoscaling up to `maxAllocatedStorageGiB`; master credentials generated
 * into Secrets Manager ($0.40/month) and rotated monthly; the functions log in with IAM
 * database authentication as the app user (database-access.ts). Parameter group with an
 * explicit max_connections per environment. Functions connect directly (security group to
 * security group), without RDS Proxy: a proxy bills per vCPU of the instance, minimum 2
 * (~$21.90/month, as much as the test database itself) and earns its keep with hundreds of
 * concurrent connections; here each function's reserved concurrency × its pool of
 * LAMBDA_POOL_SIZE is checked against max_connections at synth (connection-budget.ts).
 *
 * Migrations — a custom resource (cr.Provider) whose onEvent handler is the `migrate` function
 * (CREATE EXTENSION vector + the numbered SQL files, idempotent, under an advisory lock). Its
 * properties are the function's published version and the database endpoint, so it runs on
 * every deployment that changes the migrations or the migrate code (the SQL files are part of
 * the bundle) or replaces the database; the functions of the stack are updated after it.
 * The Lambda is here, not in compute.ts, because migrations belong to the database's lifecycle.
 *
 * Chat table — mapped 1:1 from CHAT_TABLE (src/contracts/chat-table.ts), the one
 * definition the adapter and DynamoDB Local tests use too: on-demand, TTL, the sparse session GSI.
 */

/** Concrete (not the VPC's token) so security-group rules built from it stay checkable. */
export const VPC_CIDR = '10.40.0.0/16';

export interface DatabaseProps {
  readonly config: EnvironmentConfig;
  readonly bundling: BundlingMode;
}

export class Database extends Construct {
  readonly vpc: ec2.Vpc;
  /** Security group of the functions that reach the database. */
  readonly functionSecurityGroup: ec2.SecurityGroup;
  readonly instance: rds.DatabaseInstance;
  readonly secret: rds.DatabaseSecret;
  /** Monthly rotation of the master secret. */
  readonly rotation: secretsmanager.RotationSchedule;
  readonly chatTable: dynamodb.TableV2;
  readonly migrate: AppFunction;
  readonly migration: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config } = props;

    this.vpc = this.createVpc(config);
    this.functionSecurityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'Collections functions in the VPC (database clients)',
      allowAllOutbound: true,
    });

    // The master user: migrations and operators only (the functions use IAM auth as the app user).
    this.secret = new rds.DatabaseSecret(this, 'Credentials', { username: 'collections' });
    this.instance = this.createInstance(config);
    this.instance.connections.allowDefaultPortFrom(this.functionSecurityGroup, 'Collections functions');
    this.rotation = rotateMasterSecret(this, { vpc: this.vpc, instance: this.instance }).schedule;

    this.chatTable = new dynamodb.TableV2(this, 'ChatTable', {
      ...chatTableProps(CHAT_TABLE),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.retainData },
      deletionProtection: config.retainData,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (!config.retainData) {
      acknowledge(this.chatTable, [
        ['AwsSolutions-DDB3', 'Point-in-time recovery only in prod: dev/test chat sessions expire within hours and are disposable.'],
      ]);
    }

    this.migrate = new AppFunction(this, 'Migrate', {
      name: 'migrate',
      config,
      bundling: props.bundling,
      description:
        'Runs CREATE EXTENSION vector and the SQL migrations, creates the app database user (custom resource of every deployment)',
      vpc: { vpc: this.vpc, securityGroup: this.functionSecurityGroup },
      // The master secret (read at every run, so rotation never strands it) and the app user to create.
      environment: { env: config.name, databaseSecretArn: this.secret.secretArn, databaseUser: APP_DATABASE_USER },
    });
    grantDatabaseSecret(this.migrate, this.secret);
    this.migration = this.createMigration(config);
  }

  private createVpc(config: EnvironmentConfig) {
    const nat = config.nat;
    const natInstance =
      nat.type === 'instance'
        ? ec2.NatProvider.instanceV2({
            instanceType: new ec2.InstanceType(nat.instanceType),
            defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
          })
        : undefined;
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
      maxAzs: 2,
      natGateways: nat.count,
      natGatewayProvider: natInstance ?? ec2.NatProvider.gateway(),
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'functions', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        Rejected: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.REJECT },
      },
    });
    if (natInstance) {
      // The instance forwards what the private subnets send; nothing from outside the VPC gets in.
      natInstance.connections.allowFrom(ec2.Peer.ipv4(VPC_CIDR), ec2.Port.allTraffic(), 'NAT for the VPC');
      for (const instance of natInstance.gatewayInstances) {
        acknowledge(instance, [
          ['AwsSolutions-EC26', 'The NAT instance root volume holds only the AMI (no data); encryption adds nothing there.'],
          [
            'AwsSolutions-EC28',
            'Detailed monitoring ($2.10/month) would cost more than the NAT instance it watches; basic metrics suffice.',
          ],
          ['AwsSolutions-EC29', 'A NAT instance is disposable: replacing it is the recovery, so no termination protection or ASG.'],
        ]);
      }
    }
    return vpc;
  }

  private createInstance(config: EnvironmentConfig) {
    const db = config.database;
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
    const instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      parameterGroup: databaseParameterGroup(this, engine, config),
      // The functions log in with IAM tokens (database-access.ts); the master user keeps its password.
      iamAuthentication: true,
      instanceType: new ec2.InstanceType(db.instanceType),
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      publiclyAccessible: false,
      credentials: rds.Credentials.fromSecret(this.secret),
      databaseName: DATABASE_NAME,
      storageType: rds.StorageType.GP3,
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      storageEncrypted: true,
      multiAz: db.multiAz,
      deletionProtection: db.deletionProtection,
      backupRetention: Duration.days(db.backupRetentionDays),
      // rds.force_ssl = 1 in the parameter group: clients must use TLS.
      autoMinorVersionUpgrade: true,
      removalPolicy: config.retainData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    });
    const acks: [string, string][] = [
      [
        'AwsSolutions-RDS11',
        'The default port 5432 is reachable only from the functions security group inside the VPC; another port hides nothing.',
      ],
    ];
    if (!db.multiAz)
      acks.push(['AwsSolutions-RDS3', `Single-AZ in ${config.name}: Multi-AZ doubles the instance cost and is used in prod only.`]);
    if (!db.deletionProtection) {
      acks.push(['AwsSolutions-RDS10', `No deletion protection in ${config.name}, so the environment can be torn down; prod has it.`]);
    }
    if (db.backupRetentionDays === 0) {
      acks.push(['AwsSolutions-RDS13', `No automated backups in ${config.name}: its data is disposable (test/prod keep 7/30 days).`]);
    }
    acknowledge(instance, acks);
    return instance;
  }

  private createMigration(config: EnvironmentConfig) {
    const provider = new cr.Provider(this, 'MigrationProvider', {
      onEventHandler: this.migrate.function,
      logGroup: new logs.LogGroup(this, 'MigrationProviderLogs', {
        retention: config.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    acknowledge(provider, [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK custom-resource framework function: its role is defined by aws-cdk-lib (logs only).',
      ],
      [
        wildcardResourceFinding(this, `${this.migrate.function.functionArn}:*`)!,
        'CDK custom-resource framework: may invoke any version of the migrate function, nothing else.',
      ],
      ['AwsSolutions-L1', 'Runtime of the CDK custom-resource framework function is chosen by aws-cdk-lib.'],
    ]);

    const migration = new CustomResource(this, 'Migration', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::CollectionsMigrations',
      properties: {
        // A new version is published whenever the migrate bundle (code + SQL files) changes.
        MigrateVersion: this.migrate.function.currentVersion.version,
        DatabaseEndpoint: this.instance.dbInstanceEndpointAddress,
      },
    });
    // The database, its secret's host/port and the security group rule must exist first
    // (and a rotation that replaced the password has already updated the secret it reads).
    migration.node.addDependency(this.instance);
    return migration;
  }
}

/** CHAT_TABLE's key/billing/TTL/GSI definition as TableV2 props (the one mapping, tested 1:1). */
export function chatTableProps(def: TableDefinition) {
  if (def.billingMode !== 'PAY_PER_REQUEST') throw new Error('The chat table is defined on-demand; provisioned needs capacities here');
  const attr = (a: KeyAttribute): dynamodb.Attribute => ({ name: a.name, type: ATTRIBUTE_TYPES[a.type] });
  return {
    partitionKey: attr(def.partitionKey),
    ...(def.sortKey && { sortKey: attr(def.sortKey) }),
    billing: dynamodb.Billing.onDemand(),
    ...(def.timeToLiveAttribute && { timeToLiveAttribute: def.timeToLiveAttribute }),
    globalSecondaryIndexes: def.globalSecondaryIndexes.map((index) => ({
      indexName: index.indexName,
      partitionKey: attr(index.partitionKey),
      ...(index.sortKey && { sortKey: attr(index.sortKey) }),
      projectionType: PROJECTIONS[index.projectionType],
      ...(index.nonKeyAttributes && { nonKeyAttributes: [...index.nonKeyAttributes] }),
    })),
  } satisfies Partial<dynamodb.TablePropsV2>;
}

const ATTRIBUTE_TYPES = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY } as const;
const PROJECTIONS = {
  ALL: dynamodb.ProjectionType.ALL,
  KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY,
  INCLUDE: dynamodb.ProjectionType.INCLUDE,
} as const;
