import { App, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CollectionsStack } from './collections-stack.js';
import { CONTEXT_KEYS, loadEnvironmentConfig, stackEnvironment } from './config.js';
import type { BundlingMode } from './functions.js';

/**
 * The CDK app: one environment's stack (chosen by `--context env=…` / CDK_ENV), tagged, and
 * checked by cdk-nag's AWS Solutions pack on every synth (cdk-nag 3 is a policy-validation
 * plugin: an unacknowledged finding fails the synth and is listed in the cloud assembly's
 * policy-validation report). bin/collections.ts runs it for the CLI; tests build it in-process.
 */
export function createApp(props: AppProps = {}, processEnv: NodeJS.ProcessEnv = process.env) {
  const app = new App(props);
  const config = loadEnvironmentConfig(app.node, processEnv);
  const bundling = bundlingMode(app.node.tryGetContext(CONTEXT_KEYS.bundling));

  const stack = new CollectionsStack(app, `Collections-${config.name}`, {
    config,
    bundling,
    env: stackEnvironment(config, processEnv),
    description: `Collections (${config.name}): API, image pipeline, database and storage`,
  });
  // Not on dashboards: CloudFormation's schema as cfn-lint knows it has no Tags on
  // AWS::CloudWatch::Dashboard (E3002), and a dashboard carries no cost to allocate.
  const untagged = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
  Tags.of(stack).add('Environment', config.name, untagged);
  Tags.of(stack).add('Project', 'Collections', untagged);
  Tags.of(stack).add('ManagedBy', 'CDK', untagged);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}

function bundlingMode(value: unknown): BundlingMode {
  if (value === undefined || value === 'esbuild') return 'esbuild';
  if (value === 'inline') return 'inline';
  throw new Error(`--context ${CONTEXT_KEYS.bundling}=${String(value)}: expected esbuild or inline`);
}
