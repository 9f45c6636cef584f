import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ENV, LAMBDA_FUNCTIONS, type LambdaName } from '../../src/aws/contract.js';
import type { EnvironmentConfig } from './config.js';
import { acknowledge } from './nag.js';

/**
 * One factory for the six functions, so runtime, architecture, bundling, logging and the
 * execution role are decided once.
 *
 * - Runtime nodejs22.x on arm64 (Graviton: ~20% cheaper per GB-second than x86). 22 rather than
 *   24: the nearest LTS to the Node 20 the dependencies are pinned and tested on (DESIGN §9).
 * - esbuild bundles each entry file of `LAMBDA_FUNCTIONS` (resolved from the repository root)
 *   into one minified ESM file with a source map. The banner gives ESM a `require`, which the
 *   CommonJS dependencies inside the bundle use for Node built-ins. The AWS SDK is bundled too:
 *   the versions pinned in package-lock.json run, not whatever the runtime ships.
 * - `sharp` cannot be bundled (a native addon): it is external, and any bundle that imports it
 *   gets the linux-arm64 build from infra/native/node_modules copied next to it (ESM resolves
 *   bare imports from /var/task/node_modules; Lambda layers under /opt are not on that path).
 *   `npm ci --prefix infra/native` fetches it once (the only step that needs the registry).
 * - Files the code reads at run time relative to its own module (`import.meta.url`) are copied
 *   into the bundles that contain that code (`RUNTIME_FILES`).
 * - `collections:bundling=inline` swaps the bundle for a placeholder that throws: synth tests
 *   then take seconds instead of six esbuild runs per environment. Never deploy it.
 * - Each function gets its own role (nothing but its log group by default; grants are added by
 *   the stack) and its own log group with the environment's retention, instead of the
 *   AWSLambdaBasicExecutionRole managed policy, which may write to any log group.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm ci --prefix infra/native` puts sharp and its linux-arm64 binaries. */
export const NATIVE_MODULES_DIR = path.join(REPO_ROOT, 'infra', 'native', 'node_modules');
/** Native addons kept out of the bundle and shipped as node_modules instead. */
export const NATIVE_MODULES = ['sharp'] as const;

/**
 * Files read at run time relative to the bundle (`new URL(..., import.meta.url)` or
 * `path.dirname(fileURLToPath(import.meta.url))`): copied into a bundle whose code contains
 * `marker`, from `from` (repository-relative) to `to` (next to index.mjs).
 */
export const RUNTIME_FILES = [
  /** src/adapters/database/migrate.ts reads ./migrations/*.sql; its SQL names this table. */
  { marker: 'schema_migrations', from: 'src/adapters/database/migrations', to: 'migrations' },
  /** The offline embedder's word vectors (used when no embedding provider key is configured). */
  { marker: 'word-vectors.bin', from: 'src/adapters/embedder/word-vectors.bin', to: 'word-vectors.bin' },
] as const;

export const RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;
const ESBUILD_TARGET = 'node22';

// CommonJS dependencies also read __dirname/__filename (libheif-js does, at load): ESM has neither.
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __collectionsCreateRequire } from 'node:module'; import { fileURLToPath as __collectionsFileURLToPath } from 'node:url'; " +
  "const require = __collectionsCreateRequire(import.meta.url); const __filename = __collectionsFileURLToPath(import.meta.url); " +
  "const __dirname = __collectionsFileURLToPath(new URL('.', import.meta.url));";

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
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...toEnvironmentVariables(props.environment),
        // Stack traces point into src/ through the bundle's source map (costs some cold-start
        // time on the api's large map; drop it here if bench:lambda shows it matters).
        NODE_OPTIONS: '--enable-source-maps',
      },
      ...(props.vpc && {
        vpc: props.vpc.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.vpc.securityGroup],
      }),
    } satisfies Partial<lambda.FunctionProps>;

    this.function =
      props.bundling === 'inline'
        ? new lambda.Function(this, 'Function', { ...common, code: lambda.Code.fromInline(PLACEHOLDER_CODE), handler: 'index.handler' })
        : new NodejsFunction(this, 'Function', {
            ...common,
            entry: path.join(REPO_ROOT, LAMBDA_FUNCTIONS[name].entry),
            handler: 'handler',
            projectRoot: REPO_ROOT,
            depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
            bundling: esbuildOptions(),
          });

    acknowledge(this.role, [
      ['AwsSolutions-IAM5[Resource::*]', 'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support only Resource "*".'],
    ]);
    acknowledge(this.function, [
      ['AwsSolutions-L1', 'nodejs22.x is deliberate: the LTS nearest to the Node 20 the dependencies are pinned and tested on; move to 24 with them.'],
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

export function esbuildOptions() {
  return {
    format: OutputFormat.ESM,
    target: ESBUILD_TARGET,
    // Prefer packages' ESM builds (smaller, tree-shakeable).
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    banner: ESM_REQUIRE_BANNER,
    bundleAwsSDK: true,
    externalModules: [...NATIVE_MODULES],
    commandHooks: runtimeFileHooks(),
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Shell commands run after esbuild: copy what the bundle reads from disk at run time. */
export function runtimeFileHooks(nativeDir = NATIVE_MODULES_DIR): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => {
      const bundle = quote(path.join(outputDir, 'index.mjs'));
      const commands = RUNTIME_FILES.map(
        ({ marker, from, to }) =>
          `if grep -q ${quote(marker)} ${bundle}; then cp -R ${quote(path.join(inputDir, from))} ${quote(path.join(outputDir, to))}; fi`,
      );
      const imports = NATIVE_MODULES.map((m) => `(from|import\\(|require\\()"${m}"`).join('|');
      commands.push(
        `if grep -Eq ${quote(imports)} ${bundle}; then ` +
          `if [ ! -d ${quote(path.join(nativeDir, NATIVE_MODULES[0]))} ]; then ` +
          `echo ${quote(`${NATIVE_MODULES.join(', ')} for linux-arm64 is missing: run \`npm ci --prefix infra/native\` once`)} >&2; exit 1; fi; ` +
          `cp -R ${quote(nativeDir)} ${quote(path.join(outputDir, 'node_modules'))}; fi`,
      );
      return commands;
    },
  };
}
