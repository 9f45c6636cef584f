import type { AwsClientConfig } from './aws.js';
import { OpsError } from './context.js';

/**
 * AWS SDK v3 clients that only the operations commands use and that the project may not have
 * installed yet. They are loaded when a command needs them; a missing one stops that command
 * with the npm command that installs it, and every other command keeps working.
 *
 * Only the few response fields the commands read are typed here (the SDK's own types are
 * supersets of these).
 */
export const OPTIONAL_SDK = {
  cloudformation: { pkg: '@aws-sdk/client-cloudformation', version: '3.1169.0' },
  lambda: { pkg: '@aws-sdk/client-lambda', version: '3.1164.0' },
  logs: { pkg: '@aws-sdk/client-cloudwatch-logs', version: '3.1169.0' },
  secretsManager: { pkg: '@aws-sdk/client-secrets-manager', version: '3.1164.0' },
  ec2: { pkg: '@aws-sdk/client-ec2', version: '3.1169.0' },
} as const;
export type OptionalSdk = keyof typeof OPTIONAL_SDK;

export interface SdkClient {
  send(command: unknown): Promise<unknown>;
  destroy(): void;
}
type ClientCtor = new (config: AwsClientConfig) => SdkClient;
type CommandCtor<I> = new (input: I) => unknown;

export interface CloudFormationModule {
  CloudFormationClient: ClientCtor;
  DescribeStacksCommand: CommandCtor<{ StackName?: string; NextToken?: string }>;
}
export interface LambdaModule {
  LambdaClient: ClientCtor;
  InvokeCommand: CommandCtor<{
    FunctionName: string;
    Payload?: Uint8Array;
    InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
    LogType?: 'None' | 'Tail';
  }>;
  GetFunctionConfigurationCommand: CommandCtor<{ FunctionName: string }>;
  UpdateFunctionCodeCommand: CommandCtor<{ FunctionName: string; ZipFile: Uint8Array; Publish?: boolean }>;
}
export interface LogsModule {
  CloudWatchLogsClient: ClientCtor;
  FilterLogEventsCommand: CommandCtor<{
    logGroupName: string;
    startTime?: number;
    endTime?: number;
    filterPattern?: string;
    nextToken?: string;
    limit?: number;
  }>;
}
export interface SecretsManagerModule {
  SecretsManagerClient: ClientCtor;
  GetSecretValueCommand: CommandCtor<{ SecretId: string }>;
}

/** db-connect: the bastion's state, start and stop. */
export interface Ec2Module {
  EC2Client: ClientCtor;
  DescribeInstancesCommand: CommandCtor<{ InstanceIds: string[] }>;
  StartInstancesCommand: CommandCtor<{ InstanceIds: string[] }>;
  StopInstancesCommand: CommandCtor<{ InstanceIds: string[] }>;
}
export interface DescribeInstancesResponse {
  Reservations?: { Instances?: { InstanceId?: string; State?: { Name?: string } }[] }[];
}

interface Modules {
  cloudformation: CloudFormationModule;
  lambda: LambdaModule;
  logs: LogsModule;
  secretsManager: SecretsManagerModule;
  ec2: Ec2Module;
}

export async function loadSdk<K extends OptionalSdk>(name: K): Promise<Modules[K]> {
  const { pkg, version } = OPTIONAL_SDK[name];
  try {
    // A variable specifier: the type checker does not need the package to be installed.
    const specifier: string = pkg;
    return (await import(specifier)) as Modules[K];
  } catch (err) {
    const code = err && typeof err === 'object' && 'code' in err ? err.code : undefined;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new OpsError(`This command needs ${pkg}, which is not installed: npm install --save-exact ${pkg}@${version}`);
    }
    throw err;
  }
}

/** Response shapes (the fields read). */
export interface CfnOutput {
  OutputKey?: string;
  OutputValue?: string;
  Description?: string;
  ExportName?: string;
}
export interface CfnStack {
  StackName?: string;
  StackId?: string;
  StackStatus?: string;
  StackStatusReason?: string;
  CreationTime?: Date | string;
  LastUpdatedTime?: Date | string;
  Outputs?: CfnOutput[];
  Tags?: { Key?: string; Value?: string }[];
}
export interface DescribeStacksResponse {
  Stacks?: CfnStack[];
  NextToken?: string;
}
export interface InvokeResponse {
  StatusCode?: number;
  FunctionError?: string;
  LogResult?: string;
  Payload?: Uint8Array;
}
export interface FunctionConfiguration {
  FunctionName?: string;
  CodeSha256?: string;
  CodeSize?: number;
  State?: string;
  LastUpdateStatus?: 'Successful' | 'Failed' | 'InProgress' | string;
  LastUpdateStatusReason?: string;
  LastModified?: string;
}
export interface FilteredLogEvent {
  logStreamName?: string;
  timestamp?: number;
  message?: string;
  eventId?: string;
}
export interface FilterLogEventsResponse {
  events?: FilteredLogEvent[];
  nextToken?: string;
}
