import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { APP_DATABASE_USER } from '../../src/contracts/aws.js';
import type { EnvironmentConfig } from './config.js';
import type { AppFunction, LambdaEnvironment } from './functions.js';

/**
 * How the functions reach the database, and how its credentials stay fresh.
 *
 * - IAM database authentication: every function but migrate logs in as APP_DATABASE_USER with
 *   a token the SDK signs per connection (src/adapters/database/rds-iam.ts): no password exists
 *   for the app, so none can leak, and none needs rotating. The grant is `rds-db:connect` on
 *   `dbuser:<instance resource id>/collections_app`, that user only. Cost: none. Limits: RDS
 *   accepts ~200 new IAM connections per second per instance, far above what reserved
 *   concurrency allows here (pools are kept warm between invocations).
 * - The master credentials (Secrets Manager) are used by the migrate function only, to run
 *   migrations and create the app user, and by operators. Rotated every 30 days by AWS's
 *   single-user PostgreSQL rotation (HostedRotation: the stack gets the
 *   `AWS::SecretsManager-2024-09-16` transform, which creates the rotation Lambda at deploy
 *   time — `cdk deploy` passes the CAPABILITY_AUTO_EXPAND it needs). Single-user is safe here
 *   because nothing caches the master password: migrate reads the secret at every run.
 *   Multi-user rotation (a clone user alternating with the master) would add a second
 *   secret ($0.40/month) for no gain once the functions use IAM.
 * - The rotation function runs in the functions' private subnets (it reaches Secrets Manager
 *   through the NAT: no interface endpoint, see database.ts) with its own security group, which
 *   the database admits on its port. Cost: the function runs once a month (cents at most).
 */

export const DATABASE_NAME = 'collections';
export const ROTATION_DAYS = 30;

/**
 * The instance's parameters, set explicitly rather than left to RDS's defaults:
 * max_connections from cdk.context.json (what the connection budget is checked against), and
 * TLS required (the default of PostgreSQL 15+ on RDS, pinned so no parameter-group change can
 * turn it off).
 */
export function databaseParameterGroup(scope: Construct, engine: rds.IInstanceEngine, config: EnvironmentConfig) {
  return new rds.ParameterGroup(scope, 'Parameters', {
    engine,
    description: `collections-${config.name}: max_connections for the connection budget, TLS required`,
    parameters: {
      max_connections: String(config.database.maxConnections),
      'rds.force_ssl': '1',
    },
  });
}

/** Monthly single-user rotation of the master secret, from the private subnets. */
export function rotateMasterSecret(
  scope: Construct,
  props: { vpc: ec2.IVpc; instance: rds.DatabaseInstance },
): { schedule: secretsmanager.RotationSchedule; securityGroup: ec2.SecurityGroup } {
  const securityGroup = new ec2.SecurityGroup(scope, 'RotationSecurityGroup', {
    vpc: props.vpc,
    description: 'Secrets Manager rotation of the database master secret',
    allowAllOutbound: true,
  });
  props.instance.connections.allowDefaultPortFrom(securityGroup, 'Secret rotation');
  const secret = props.instance.secret;
  if (!secret) throw new Error('The database instance has no secret to rotate');
  const schedule = secret.addRotationSchedule('Rotation', {
    automaticallyAfter: Duration.days(ROTATION_DAYS),
    hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
    }),
  });
  return { schedule, securityGroup };
}

/** What a function needs to connect with IAM auth (names, not secrets). */
export function databaseClientEnvironment(instance: rds.DatabaseInstance): LambdaEnvironment {
  return {
    databaseHost: instance.dbInstanceEndpointAddress,
    databasePort: instance.dbInstanceEndpointPort,
    databaseName: DATABASE_NAME,
    databaseUser: APP_DATABASE_USER,
  };
}

/** rds-db:connect as the app user, on this instance only. */
export function grantDatabaseConnect(fn: AppFunction, instance: rds.DatabaseInstance) {
  instance.grantConnect(fn.role, APP_DATABASE_USER);
}

/** secretsmanager:GetSecretValue on the master secret, nothing else (the migrate function). */
export function grantDatabaseSecret(fn: AppFunction, secret: secretsmanager.ISecret) {
  fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
}
