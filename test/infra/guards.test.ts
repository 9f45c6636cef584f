import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_DATABASE_USER,
  ENVIRONMENTS,
  LAMBDA_ENV,
  LAMBDA_FUNCTIONS,
  LAMBDA_POOL_SIZE,
  type DeploymentEnv,
} from '../../src/contracts/aws.js';
import { alarmSubscriberProblem, loadEnvironmentConfig } from '../../infra/lib/config.js';
import { checkConnectionBudget, connectionBudget, defaultMaxConnections, HEADROOM_TOTAL } from '../../infra/lib/connection-budget.js';
import { ROTATION_DAYS } from '../../infra/lib/database-access.js';
import {
  actionsOf,
  allFunctions,
  cdkContext,
  logicalIdOf,
  removeOutdirs,
  resource,
  resourcesOfType,
  roleStatements,
  synthesize,
  synthesizeAll,
  type Synthesized,
} from './helpers.js';

/**
 * Production guards (issue 12): alarms that notify someone, an explicit max_connections with the
 * functions' reserved concurrency sized to it, IAM database auth for the functions and monthly
 * rotation of the master secret.
 */

let envs: Record<DeploymentEnv, Synthesized>;
beforeAll(() => {
  envs = synthesizeAll();
});
afterAll(removeOutdirs);

const reader = (context: Record<string, unknown>) => ({ tryGetContext: (key: string) => context[key] });

describe.each(ENVIRONMENTS)('%s: database connections', (env) => {
  it('sets max_connections and rds.force_ssl in the instance parameter group, within the class default', () => {
    const { json, stack, config } = envs[env];
    const instance = resource(json, stack.database.instance);
    const groups = resourcesOfType(json, 'AWS::RDS::DBParameterGroup');
    expect(groups).toHaveLength(1);
    const [groupId, group] = groups[0]!;
    expect(instance.Properties.DBParameterGroupName).toEqual({ Ref: groupId });
    expect(group.Properties).toMatchObject({
      Family: 'postgres16',
      Parameters: { max_connections: String(config.database.maxConnections), 'rds.force_ssl': '1' },
    });
    expect(config.database.maxConnections).toBeLessThanOrEqual(defaultMaxConnections(config.database.instanceType)!);
  });

  it('gives every function reserved concurrency from the settings, and the peak fits max_connections', () => {
    const { json, config } = envs[env];
    for (const fn of Object.values(allFunctions(envs[env]))) {
      expect(resource(json, fn.function).Properties.ReservedConcurrentExecutions, fn.name).toBe(
        config.functions[fn.name].reservedConcurrency,
      );
    }
    expect(config.functions.migrate.reservedConcurrency).toBe(1);
    const budget = connectionBudget(config, LAMBDA_POOL_SIZE);
    expect(budget.functions.map((f) => f.name).sort()).toEqual(Object.keys(LAMBDA_FUNCTIONS).sort());
    expect(budget.total).toBeLessThanOrEqual(config.database.maxConnections);
    // Vision APIs rate-limit: the analyzer stays the smallest pipeline step.
    expect(config.functions.analyzer.reservedConcurrency).toBeLessThanOrEqual(config.functions['image-processor'].reservedConcurrency);
  });

  it('alarms at 80% of max_connections', () => {
    const { json, stack, config } = envs[env];
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.MetricName === 'DatabaseConnections');
    if (!config.alarms) return expect(alarms).toEqual([]);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      Namespace: 'AWS/RDS',
      Threshold: Math.floor(config.database.maxConnections * 0.8),
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: { Ref: logicalIdOf(stack.database.instance) } }],
    });
  });
});

describe('the connection budget check', () => {
  const dev = () => loadEnvironmentConfig(reader({ ...cdkContext(), env: 'dev' }), {});

  it('fails the synth with the sum written out when reserved concurrency outgrows max_connections', () => {
    const context = structuredClone(cdkContext()) as { environments: Record<string, any> };
    context.environments.dev.functions.api.reservedConcurrency = 100;
    expect(() => loadEnvironmentConfig(reader({ ...context, env: 'dev' }), {})).toThrow(
      new RegExp(`api 100×${LAMBDA_POOL_SIZE} .* \\+ ${HEADROOM_TOTAL} headroom .* = \\d+ > 80`),
    );
  });

  it('refuses a max_connections above what the instance class supports by default', () => {
    const config = dev();
    expect(() =>
      checkConnectionBudget('dev', { ...config, database: { ...config.database, maxConnections: 300 } }, LAMBDA_POOL_SIZE),
    ).toThrow(/maxConnections 300 is above what t4g\.micro supports by default \(~84/);
    expect(() => checkConnectionBudget('dev', { ...config, database: { ...config.database, instanceType: 't4g.huge' } }, 2)).toThrow(
      /SIZE_GIB/,
    );
  });

  it('requires reserved concurrency of every function', () => {
    const context = structuredClone(cdkContext()) as { environments: Record<string, any> };
    delete context.environments.prod.functions.embedder.reservedConcurrency;
    expect(() => loadEnvironmentConfig(reader({ ...context, env: 'prod' }), {})).toThrow(/functions\.embedder\.reservedConcurrency/);
  });

  it('estimates RDS default max_connections from the class memory', () => {
    expect(defaultMaxConnections('t4g.micro')).toBe(84);
    expect(defaultMaxConnections('t4g.small')).toBe(197);
    expect(defaultMaxConnections('r6g.large')).toBe(1774);
    expect(defaultMaxConnections('m6g.8xlarge')).toBe(5000);
  });
});

describe.each(ENVIRONMENTS)('%s: database credentials', (env) => {
  it('enables IAM auth and grants rds-db:connect as the app user only, on this instance', () => {
    const { json, stack } = envs[env];
    expect(resource(json, stack.database.instance).Properties.EnableIAMDatabaseAuthentication).toBe(true);
    for (const fn of Object.values(stack.compute.functions)) {
      const statements = roleStatements(json, logicalIdOf(fn.role)).filter((s) => actionsOf([s]).includes('rds-db:connect'));
      expect(statements, fn.name).toHaveLength(1);
      const arn = JSON.stringify(statements[0]!.Resource);
      expect(arn).toContain(':dbuser:');
      expect(arn).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.database.instance), 'DbiResourceId'] }));
      expect(arn).toContain(`/${APP_DATABASE_USER}"`);
    }
    expect(actionsOf(roleStatements(json, logicalIdOf(stack.database.migrate.role)))).not.toContain('rds-db:connect');
  });

  it('gives the functions the database host, port, name and user, and only migrate the master secret', () => {
    const { json, stack } = envs[env];
    for (const fn of Object.values(stack.compute.functions)) {
      const vars = resource(json, fn.function).Properties.Environment.Variables;
      expect(vars, fn.name).toMatchObject({
        [LAMBDA_ENV.databaseHost]: { 'Fn::GetAtt': [logicalIdOf(stack.database.instance), 'Endpoint.Address'] },
        [LAMBDA_ENV.databasePort]: { 'Fn::GetAtt': [logicalIdOf(stack.database.instance), 'Endpoint.Port'] },
        [LAMBDA_ENV.databaseName]: 'collections',
        [LAMBDA_ENV.databaseUser]: APP_DATABASE_USER,
      });
      expect(vars[LAMBDA_ENV.databaseSecretArn], fn.name).toBeUndefined();
      expect(actionsOf(roleStatements(json, logicalIdOf(fn.role))), fn.name).not.toContain('secretsmanager:GetSecretValue');
    }
    const migrate = resource(json, stack.database.migrate.function).Properties.Environment.Variables;
    expect(migrate).toMatchObject({
      [LAMBDA_ENV.databaseSecretArn]: { Ref: logicalIdOf(stack.database.secret) },
      [LAMBDA_ENV.databaseUser]: APP_DATABASE_USER,
    });
    expect(actionsOf(roleStatements(json, logicalIdOf(stack.database.migrate.role)))).toContain('secretsmanager:GetSecretValue');
  });

  it(`rotates the master secret every ${ROTATION_DAYS} days (single-user, hosted, from the private subnets)`, () => {
    const { json, stack } = envs[env];
    const template = json as typeof json & { Transform?: unknown };
    expect(template.Transform).toBe('AWS::SecretsManager-2024-09-16');
    const schedules = resourcesOfType(json, 'AWS::SecretsManager::RotationSchedule');
    expect(schedules).toHaveLength(1);
    const props = schedules[0]![1].Properties;
    expect(props.RotationRules).toEqual({ ScheduleExpression: `rate(${ROTATION_DAYS} days)` });
    expect(props.HostedRotationLambda).toMatchObject({ RotationType: 'PostgreSQLSingleUser' });
    const functionSubnets = stack.database.vpc.privateSubnets.map((s) => ({ Ref: logicalIdOf(s) }));
    for (const subnet of functionSubnets) expect(JSON.stringify(props.HostedRotationLambda.VpcSubnetIds)).toContain(JSON.stringify(subnet));
    // Its security group reaches the database port.
    const groupId = props.HostedRotationLambda.VpcSecurityGroupIds['Fn::GetAtt'][0];
    const ingress = resourcesOfType(json, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toContainEqual(
      expect.objectContaining({ SourceSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] }, IpProtocol: 'tcp' }),
    );
  });
});

describe.each(ENVIRONMENTS)('%s: alarms', (env) => {
  it('has an alarm and an OK action on every alarm of the stack: the environment topic', () => {
    const { json, stack, config } = envs[env];
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm');
    if (!config.alarms) return expect(alarms).toEqual([]);
    const topic = { Ref: logicalIdOf(stack.monitoring.topic!) };
    expect(alarms.length).toBeGreaterThanOrEqual(13);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topic]);
      expect(alarm.Properties.OKActions, id).toEqual([topic]);
    }
  });

  it('warns at synth when alarms have no subscriber, naming how to set one', () => {
    const { stack, config } = envs[env];
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('nobody receives them'));
    const expected = config.alarms && !config.alarmEmail;
    expect(warnings).toHaveLength(expected ? 1 : 0);
    if (expected) expect(String(warnings[0]!.entry.data)).toMatch(/alarmEmail.*cdk\.context\.json.*--context alarmEmail=/);
  });
});

describe('the alarm subscriber guard', () => {
  it('is satisfied by an email, or by an environment without alarms', () => {
    expect(alarmSubscriberProblem({ name: 'prod', alarms: true, alarmEmail: null })).toMatch(/prod has alarms but nobody receives them/);
    expect(alarmSubscriberProblem({ name: 'prod', alarms: true, alarmEmail: 'ops@example.com' })).toBeUndefined();
    expect(alarmSubscriberProblem({ name: 'dev', alarms: false, alarmEmail: null })).toBeUndefined();
  });

  it('no warning once --context alarmEmail names a subscriber; an alarm added elsewhere gets the topic too', () => {
    const s = synthesize('prod', {
      context: { alarmEmail: 'ops@example.com' },
      change: (stack) => {
        new cloudwatch.Alarm(stack, 'ExtraAlarm', {
          metric: stack.database.instance.metricCPUUtilization(),
          threshold: 99,
          evaluationPeriods: 1,
        });
      },
    });
    const warnings = Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp('nobody receives them'));
    expect(warnings).toEqual([]);
    const extra = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith('ExtraAlarm'))![1];
    expect(extra.Properties.AlarmActions).toEqual([{ Ref: logicalIdOf(s.stack.monitoring.topic!) }]);
    expect(resourcesOfType(s.json, 'AWS::SNS::Subscription')[0]![1].Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
