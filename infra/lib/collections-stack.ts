import { Aspects, CfnOutput, CfnResource, Fn, Stack, type IAspect, type StackProps } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct, IConstruct } from 'constructs';
import { parameterPrefix } from '../../src/contracts/aws.js';
import { Api } from './api.js';
import { Auth } from './auth.js';
import { ChatStream } from './chat-stream.js';
import { Bastion } from './bastion.js';
import { Compute, toId } from './compute.js';
import type { EnvironmentConfig } from './config.js';
import { Database } from './database.js';
import type { BundlingMode } from './functions.js';
import { Monitoring } from './monitoring.js';
import { acknowledgeCdkInternals } from './nag.js';
import { Storage } from './storage.js';
import { WebHosting } from './web-hosting.js';

/**
 * One stack per environment (`Collections-dev`, `-test`, `-prod`), built from six parts, each
 * in its own file with its choices and costs: database.ts (VPC, RDS, migrations, chat table),
 * storage.ts (bucket), auth.ts (Cognito), compute.ts (functions, rules, DLQs), api.ts (HTTP API),
 * web-hosting.ts (the web app on S3 + CloudFront), monitoring.ts (dashboard, alarms).
 *
 * Why one stack and not five: the parts reference each other in both directions (the api
 * function needs the user pool; the HTTP API needs the function; monitoring needs all), and
 * cross-stack references become CloudFormation exports that lock the exporting resource (an
 * export in use can be neither changed nor removed, which turns ordinary refactors into
 * multi-step deployments). One stack deploys atomically and in dependency order — migrations
 * (a custom resource) run before the functions get new code — and has one set of outputs. It is
 * ~200 resources, far below CloudFormation's 500.
 *
 * Monthly fixed cost, us-east-1 list prices (usage-based items — Lambda, API Gateway, S3,
 * DynamoDB, logs — are cents at a personal collection's volume; docs/deploy.md has the table):
 *   dev  ≈ $23: NAT instance t4g.nano $7.40, RDS t4g.micro single-AZ $11.68 + 20 GB gp3 $2.30,
 *               secret $0.40, bastion $0.64 stopped ($3.71 running); dashboard free (first three)
 *   test ≈ $36: NAT instance $7.40, RDS t4g.small $23.36 + 20 GB $2.30 + backups (7 d, within the
 *               free allowance), secret $0.40, 14 alarms $1.40, bastion $0.64 stopped
 *   prod ≈ $100: NAT gateway $36.50 (+$0.045/GB), RDS t4g.small Multi-AZ $46.72 + 50 GB $11.50,
 *               secret $0.40, 14 alarms $1.40, dashboard $3, bastion $0.64 stopped, PITR and
 *               versioning cents
 */

export interface CollectionsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly bundling: BundlingMode;
}

export class CollectionsStack extends Stack {
  readonly config: EnvironmentConfig;
  readonly database: Database;
  readonly storage: Storage;
  readonly auth: Auth;
  readonly compute: Compute;
  readonly api: Api;
  readonly monitoring: Monitoring;
  readonly web: WebHosting;
  readonly chatStream: ChatStream;
  readonly bastion: Bastion;

  constructor(scope: Construct, id: string, props: CollectionsStackProps) {
    super(scope, id, props);
    const { config, bundling } = props;
    this.config = config;

    this.database = new Database(this, 'Database', { config, bundling });
    // The operators' path to the database (ops db-connect: SSM port forwarding), see bastion.ts.
    this.bastion = new Bastion(this, 'Bastion', { vpc: this.database.vpc });
    this.database.instance.connections.allowDefaultPortFrom(this.bastion, 'Bastion (SSM port forwarding)');
    // The web app's CloudFront origin may call the API and POST uploads to the bucket (CORS).
    this.web = new WebHosting(this, 'Web', { config, bundling });
    const withWebOrigin = { ...config, corsOrigins: [...config.corsOrigins, this.web.origin] };
    this.storage = new Storage(this, 'Storage', { config: withWebOrigin });
    this.auth = new Auth(this, 'Auth', { config });
    this.compute = new Compute(this, 'Compute', { config, bundling, database: this.database, storage: this.storage, auth: this.auth });
    this.api = new Api(this, 'Api', { config: withWebOrigin, auth: this.auth, handler: this.compute.functions.api });
    // Chat turns streamed past API Gateway's 30 s (chat-stream.ts); the web app finds the URL in app-config.json.
    this.chatStream = new ChatStream(this, 'ChatStream', {
      fn: this.compute.functions['chat-stream'],
      corsOrigins: withWebOrigin.corsOrigins,
    });
    this.web.deploy({
      apiUrl: this.api.url,
      chatStreamUrl: this.chatStream.url.url,
      region: this.region,
      userPoolId: this.auth.userPool.userPoolId,
      clientId: this.auth.client.userPoolClientId,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', { config, api: this.api, compute: this.compute, database: this.database });

    // New code only after the schema it expects exists.
    for (const fn of Object.values(this.compute.functions)) fn.function.node.addDependency(this.database.migration);

    this.outputs();
    acknowledgeCdkInternals(this);
    Aspects.of(this).add(new Arm64Everywhere());
  }

  /**
   * Two AZs without a lookup: the configured ones, else the region's first two resolved by
   * CloudFormation (Fn::GetAZs). A context lookup would need AWS credentials at synth and would
   * write its result into cdk.context.json; this keeps `cdk synth` offline everywhere.
   */
  override get availabilityZones(): string[] {
    const pinned = this.config?.availabilityZones;
    return pinned ?? [0, 1].map((i) => Fn.select(i, Fn.getAzs()));
  }

  private outputs() {
    const out = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    // Keys read by the operations scripts (scripts/ops/lib/stack.ts OUTPUT_KEYS).
    out('ApiUrl', this.api.url, 'Base URL of the HTTP API');
    out('ChatStreamUrl', this.chatStream.url.url, 'Function URL of chat-stream (POST chat/stream, response streaming)');
    out('WebUrl', this.web.url, 'The web app (CloudFront)');
    out('WebBucketName', this.web.bucket.bucketName, 'Files of the web app');
    out('WebDistributionId', this.web.distribution.distributionId, 'CloudFront distribution of the web app');
    out('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool');
    out('UserPoolClientId', this.auth.client.userPoolClientId, 'Cognito app client (no secret)');
    out('BucketName', this.storage.bucket.bucketName, 'Originals and thumbnails');
    out('ChatTableName', this.database.chatTable.tableName, 'DynamoDB chat sessions');
    out('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    out('DatabaseSecretArn', this.database.secret.secretArn, 'Secrets Manager secret of the RDS credentials');
    out('DatabaseEndpoint', this.database.instance.dbInstanceEndpointAddress, 'RDS endpoint (inside the VPC)');
    out('BastionInstanceId', this.bastion.instance.instanceId, 'EC2 instance of SSM port forwarding to the database (ops db-connect)');
    out('ParameterPrefix', parameterPrefix(this.config.name), 'Parameter Store prefix of the API keys');
    if (this.monitoring.topic) out('AlarmTopicArn', this.monitoring.topic.topicArn, 'SNS topic of the alarms');
    for (const [name, queue] of Object.entries(this.compute.deadLetterQueues)) {
      out(`${toId(name)}DlqUrl`, queue.queueUrl, `Dead-letter queue of ${name}`);
    }
    for (const fn of [...Object.values(this.compute.functions), this.database.migrate]) {
      out(`${toId(fn.name)}FunctionName`, fn.function.functionName, `Lambda function ${fn.name}`);
    }
  }
}

/**
 * The handlers aws-cdk-lib adds on its own (custom-resource framework, bucket notifications,
 * default-security-group restriction) default to x86_64; they are plain Node.js/Python code, so
 * they run on Graviton like the app's functions.
 */
class Arm64Everywhere implements IAspect {
  visit(node: IConstruct) {
    if (node instanceof CfnFunction) {
      if (!node.architectures) node.architectures = ['arm64'];
    } else if (node instanceof CfnResource && node.cfnResourceType === 'AWS::Lambda::Function') {
      node.addPropertyOverride('Architectures', ['arm64']);
    }
  }
}
