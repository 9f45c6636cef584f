import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, type FingerprintOptions } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ENV, LAMBDA_FUNCTIONS, type LambdaName } from '../../src/contracts/aws.js';
import type { EnvironmentConfig } from './config.js';
import { bundleFunction, NATIVE_MODULES_OVERRIDE } from './bundle.js';
import { acknowledge } from './nag.js';

/**
 * One factory for the six functions, so runtime, architecture, bundling, logging and the
 * execution role are decided once.
 *
 * - Runtime nodejs22.x on arm64 (Graviton: ~20% cheaper per GB-second than x86). 22 rather than
 *   24: the nearest LTS to the Node 20 the dependencies are pinned and tested on (DESIGN §9).
 * - Code: `bundleFunction` (bundle.ts) runs esbuild locally, offline, with code splitting, from
 *   `Code.fromAsset` with local bundling (no Docker; the image named is never pulled while local
 *   bundling succeeds). bundle.ts says why this is not NodejsFunction.
 * - `collections:bundling=inline` swaps the bundle for a placeholder that throws: synth tests
 *   then take seconds instead of six esbuild runs per environment. Never deploy it.
 * - Reserved concurrency from cdk.context.json (`reservedConcurrency`), for every function:
 *   each one is a database client (see connection-budget.ts).
 * - Each function gets its own role (nothing but its log group by default; grants are added by
 *   the stack) and its own log group with the environment's retention, instead of the
 *   AWSLambdaBasicExecutionRole managed policy, which may write to any log group.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm ci --prefix infra/native` puts sharp and its linux-arm64 binaries. */
export const NATIVE_MODULES_DIR = path.join(REPO_ROOT, 'infra', 'native', 'node_modules');
export { NATIVE_MODULES_OVERRIDE };

export const RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;

export type BundlingMode = 'esbuild' | 'inline';

/** The placeholder of `inline` mode: deployed by mistake, it fails loudly instead of doing nothing. */
export const PLACEHOLDER_CODE =
  "exports.handler = async () => { throw new Error('Placeholder code: this stack was synthesized with collections:bundling=inline'); };";

export type LambdaEnvironment = Partial<Record<keyof typeof LAMBDA_ENV, string>>;

export interface AppFunctionProps {
  readonly name: LambdaName;
  readonly config: EnvironmentConfig;
  readonly bundling: BundlingMode;
  /** Values by LAMBDA_ENV key; the variable names come from the contract. */
  readonly environment: LambdaEnvironment;
  /** Functions that reach the database run in the VPC's private subnets. */
  readonly vpc?: { readonly vpc: ec2.IVpc; readonly securityGroup: ec2.ISecurityGroup };
  readonly description: string;
}

/** A function, its execution role and its log group. */
export class AppFunction extends Construct {
  readonly name: LambdaName;
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { name, config } = props;
    const settings = config.functions[name];
    this.name = name;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of collections-${config.name}-${name}`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) {
      this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      acknowledge(this.role, [
        [
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
          'AWS-maintained policy for the ENIs of a function in a VPC; the EC2 network-interface actions it grants support no resource-level scoping.',
        ],
      ]);
    }

    const common = {
      functionName: `collections-${config.name}-${name}`,
      description: props.description,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: settings.memoryMb,
      timeout: Duration.seconds(settings.timeoutSeconds),
      // Every function opens database connections: its reserved concurrency caps them (the sum
      // is checked against max_connections in connection-budget.ts) and keeps one function's
      // burst from starving the others of the account's concurrency.
      reservedConcurrentExecutions: settings.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...toEnvironmentVariables(props.environment),
      },
      ...(props.vpc && {
        vpc: props.vpc.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.vpc.securityGroup],
      }),
    } satisfies Partial<lambda.FunctionProps>;

    this.function = new lambda.Function(this, 'Function', {
      ...common,
      code: props.bundling === 'inline' ? lambda.Code.fromInline(PLACEHOLDER_CODE) : bundledCode(LAMBDA_FUNCTIONS[name].entry),
      handler: 'index.handler',
    });

    acknowledge(this.role, [
      [
        'AwsSolutions-IAM5[Resource::*]',
        'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support only Resource "*".',
      ],
    ]);
    acknowledge(this.function, [
      [
        'AwsSolutions-L1',
        'nodejs22.x is deliberate: the LTS nearest to the Node 20 the dependencies are pinned and tested on; move to 24 with them.',
      ],
    ]);
  }
}

/** LAMBDA_ENV key → value becomes the contract's variable name → value. */
export function toEnvironmentVariables(values: LambdaEnvironment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) out[LAMBDA_ENV[key as keyof typeof LAMBDA_ENV]] = value;
  }
  return out;
}

/**
 * The function's code, built by `bundleFunction` when the stack is synthesized. The asset hash
 * is the output's, so an unchanged bundle is not uploaded again.
 *
 * `extraHash: entry` is what keeps the functions apart. CDK caches bundled assets per app under
 * a key made of the source path and the bundling options as JSON, and a `tryBundle` function
 * does not survive JSON: with src/lambda/ as every function's source, all had the same key and
 * were given the first bundle built (migrate's). test/infra/artifacts.test.ts loads each
 * synthesized asset and invokes it.
 */
export function bundledCode(entry: string, nativeModulesDir = process.env[NATIVE_MODULES_OVERRIDE] || NATIVE_MODULES_DIR): lambda.Code {
  // AssetStaging honours `extraHash` (it is part of its cache key), though the options' type
  // leaves it out; a source path must be a directory when bundling, so the entry goes here.
  const keyedByEntry: FingerprintOptions = { extraHash: entry };
  return lambda.Code.fromAsset(path.join(REPO_ROOT, path.dirname(entry)), {
    ...keyedByEntry,
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API, used only if local bundling declined; it never does (it throws).
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: {
        tryBundle(outputDir: string) {
          bundleFunction(REPO_ROOT, entry, outputDir, { dir: nativeModulesDir });
          return true;
        },
      },
    },
  });
}
