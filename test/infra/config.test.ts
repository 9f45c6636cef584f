import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, LAMBDA_FUNCTIONS } from '../../src/contracts/aws.js';
import { CONTEXT_KEYS, loadEnvironmentConfig, selectEnvironment, stackEnvironment } from '../../infra/lib/config.js';
import { cdkContext, INFRA_DIR } from './helpers.js';

const reader = (context: Record<string, unknown>) => ({ tryGetContext: (key: string) => context[key] });

describe('environment selection', () => {
  it('takes --context env, else CDK_ENV, else dev', () => {
    expect(selectEnvironment(reader({ env: 'prod' }), { CDK_ENV: 'test' })).toBe('prod');
    expect(selectEnvironment(reader({}), { CDK_ENV: 'test' })).toBe('test');
    expect(selectEnvironment(reader({}), {})).toBe('dev');
  });

  it('rejects an unknown environment, naming the valid ones', () => {
    expect(() => selectEnvironment(reader({ env: 'staging' }), {})).toThrow(/dev\|test\|prod/);
  });
});

describe('cdk.context.json', () => {
  const context = cdkContext();

  it.each(ENVIRONMENTS)('%s: validates, with settings for every function of the contract', (env) => {
    const config = loadEnvironmentConfig(reader({ ...context, env }), {});
    expect(config.name).toBe(env);
    expect(Object.keys(config.functions).sort()).toEqual(Object.keys(LAMBDA_FUNCTIONS).sort());
  });

  it('differs where the environments should', () => {
    const load = (env: string) => loadEnvironmentConfig(reader({ ...context, env }), {});
    const [dev, test, prod] = [load('dev'), load('test'), load('prod')];
    expect([dev.logRetentionDays, test.logRetentionDays, prod.logRetentionDays]).toEqual([7, 30, 90]);
    expect([dev.alarms, test.alarms, prod.alarms]).toEqual([false, true, true]);
    expect([dev.retainData, test.retainData, prod.retainData]).toEqual([false, false, true]);
    expect([dev.database.backupRetentionDays, test.database.backupRetentionDays, prod.database.backupRetentionDays]).toEqual([0, 7, 30]);
  });

  it('explains what is wrong with invalid settings', () => {
    const broken = structuredClone(context) as { environments: Record<string, any> };
    broken.environments.dev.logRetentionDays = 8;
    broken.environments.dev.corsOrigins = ['https://example.com/app'];
    delete broken.environments.dev.functions.migrate;
    const error = (() => {
      try {
        loadEnvironmentConfig(reader({ ...broken, env: 'dev' }), {});
      } catch (e) {
        return String(e);
      }
      return '';
    })();
    expect(error).toMatch(/logRetentionDays/);
    expect(error).toMatch(/corsOrigins/);
    expect(error).toMatch(/functions\.migrate/);
  });

  it('takes the alarm email from --context alarmEmail', () => {
    expect(loadEnvironmentConfig(reader({ ...context, env: 'prod', [CONTEXT_KEYS.alarmEmail]: 'ops@example.com' }), {}).alarmEmail).toBe(
      'ops@example.com',
    );
    expect(() => loadEnvironmentConfig(reader({ ...context, env: 'prod', alarmEmail: 'nope' }), {})).toThrow(/alarmEmail/);
  });

  it('uses the CLI account/region unless pinned', () => {
    const config = loadEnvironmentConfig(reader({ ...context, env: 'dev' }), {});
    const cli = { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'eu-west-1' };
    expect(stackEnvironment(config, cli)).toEqual({ account: '111122223333', region: 'eu-west-1' });
    expect(stackEnvironment({ ...config, region: 'us-west-2' }, cli)).toEqual({ account: '111122223333', region: 'us-west-2' });
    expect(stackEnvironment(config, {})).toEqual({ account: undefined, region: undefined });
  });
});

describe('cdk.json', () => {
  it('runs the TypeScript app with tsx', () => {
    const cdkJson = JSON.parse(readFileSync(path.join(INFRA_DIR, 'cdk.json'), 'utf8')) as { app: string };
    expect(cdkJson.app).toBe('npx tsx bin/collections.ts');
  });
});
