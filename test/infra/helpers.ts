import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack, type App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ENVIRONMENTS, type DeploymentEnv, type LambdaName } from '../../src/contracts/aws.js';
import { createApp } from '../../infra/lib/app.js';
import type { CollectionsStack } from '../../infra/lib/collections-stack.js';
import type { EnvironmentConfig } from '../../infra/lib/config.js';
import type { AppFunction } from '../../infra/lib/functions.js';

/**
 * In-process synthesis of the CDK app, with the same context the CLI gives it (cdk.json's
 * feature flags + cdk.context.json's environments) and placeholder code instead of esbuild
 * bundles (`collections:bundling=inline`; bundling.test.ts does a real bundle). Every synth runs
 * cdk-nag: Template.fromStack throws ValidationFailed on an unacknowledged finding.
 */

export const INFRA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../infra');

export function cdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(INFRA_DIR, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const cdkContextJson = JSON.parse(readFileSync(path.join(INFRA_DIR, 'cdk.context.json'), 'utf8')) as Record<string, unknown>;
  return { ...cdkJson.context, ...cdkContextJson };
}

export interface Synthesized {
  app: App;
  stack: CollectionsStack;
  config: EnvironmentConfig;
  template: Template;
  /** The template as JSON. */
  json: TemplateJson;
  outdir: string;
}

export interface TemplateJson {
  Resources: Record<
    string,
    { Type: string; Properties?: any; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string }
  >;
  Outputs?: Record<string, { Value: unknown }>;
}

const outdirs: string[] = [];

export function synthesize(
  env: DeploymentEnv,
  options: { context?: Record<string, unknown>; processEnv?: NodeJS.ProcessEnv; change?: (stack: CollectionsStack) => void } = {},
): Synthesized {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'collections-cdk-'));
  outdirs.push(outdir);
  const { app, stack, config } = createApp(
    { outdir, context: { ...cdkContext(), env, 'collections:bundling': 'inline', ...options.context } },
    options.processEnv ?? {},
  );
  options.change?.(stack);
  const template = Template.fromStack(stack);
  return { app, stack, config, template, json: template.toJSON() as TemplateJson, outdir };
}

/** The three environments, synthesized once per test file. */
export function synthesizeAll(): Record<DeploymentEnv, Synthesized> {
  return Object.fromEntries(ENVIRONMENTS.map((env) => [env, synthesize(env)])) as Record<DeploymentEnv, Synthesized>;
}

/** Every function of a synthesized stack by name, the database's migrate function included. */
export const allFunctions = (s: Synthesized): Record<LambdaName, AppFunction> => ({
  ...s.stack.compute.functions,
  migrate: s.stack.database.migrate,
});

export function removeOutdirs() {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

export function resourcesOfType(json: TemplateJson, type: string) {
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type);
}

export function resource(json: TemplateJson, construct: IConstruct) {
  const id = logicalIdOf(construct);
  const r = json.Resources[id];
  if (!r) throw new Error(`No resource ${id} in the template`);
  return r;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the inline policies attached to a role. */
export function roleStatements(json: TemplateJson, roleLogicalId: string): Statement[] {
  return resourcesOfType(json, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export function actionsOf(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => asArray(s.Action)))].sort();
}
