import { Annotations, Aspects, Duration, Stack, type IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import type { Api } from './api.js';
import { toId, type Compute } from './compute.js';
import { alarmSubscriberProblem, type EnvironmentConfig } from './config.js';
import type { Database } from './database.js';
import { acknowledge } from './nag.js';

/**
 * Monitoring: one dashboard per environment and, in test/prod, alarms to an SNS topic (email
 * subscription from cdk.context.json's `alarmEmail` or `--context alarmEmail=`).
 *
 * Every alarm notifies: each alarm of the stack (also those other constructs add) gets the
 * topic as its alarm and OK action (AlarmActionsToTopic). An environment with alarms and no
 * email synthesizes with a warning (a fresh clone must synth every environment), and
 * `npm run ops -- deploy` refuses it (config.ts alarmSubscriberProblem).
 *
 * Dev has no alarms, deliberately: they would cost ~$1.40/month, which is little, but dev is
 * torn down and redeployed often, one developer watches it directly (the dashboard, `ops logs`),
 * and alarms there would make every developer's first deploy require an email address. Set
 * `alarms: true` and `alarmEmail` for dev in cdk.context.json to try alarm changes there first.
 *
 * HTTP API metrics are those HTTP APIs really publish: namespace AWS/ApiGateway, `Count`,
 * `4xx`, `5xx`, `Latency`, `IntegrationLatency`, dimensions `ApiId` + `Stage` (REST APIs use
 * `ApiName` and `5XXError`, which would draw empty graphs here).
 *
 * Alarms: API 5xx, errors of each function, any message in a dead-letter queue, database CPU,
 * free storage and connections (above 80% of max_connections: the connection budget of
 * connection-budget.ts is being outgrown, or something leaks connections). Missing data is
 * "not breaching" (quiet environments are not broken ones).
 *
 * Cost: the dashboard is free for the account's first three, then $3/month; each standard alarm
 * $0.10/month (13 here, 14 with a chat-stream errors alarm: ~$1.30–1.40 in test and prod); SNS email: free tier.
 */

const API_NAMESPACE = 'AWS/ApiGateway';
export const HTTP_API_METRICS = ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency'] as const;

/** Id of the synth warning of an environment whose alarms notify nobody. */
export const ALARMS_WITHOUT_SUBSCRIBER = 'collections:alarms-without-subscriber';

export interface MonitoringProps {
  readonly config: EnvironmentConfig;
  readonly api: Api;
  readonly compute: Compute;
  readonly database: Database;
}

export class Monitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly topic?: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config, api, compute, database } = props;
    const period = Duration.minutes(5);

    const apiMetric = (metricName: (typeof HTTP_API_METRICS)[number], statistic: string) =>
      new cloudwatch.Metric({
        namespace: API_NAMESPACE,
        metricName,
        dimensionsMap: { ApiId: api.httpApi.apiId, Stage: api.stage.stageName },
        statistic,
        period,
      });
    const functions = [...Object.values(compute.functions), database.migrate];
    const queues = Object.entries(compute.deadLetterQueues);
    const table = database.chatTable;
    const db = database.instance;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `collections-${config.name}`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [apiMetric('Count', 'Sum'), apiMetric('4xx', 'Sum'), apiMetric('5xx', 'Sum')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (p90)',
        left: [apiMetric('Latency', 'p90'), apiMetric('IntegrationLatency', 'p90')],
        width: 12,
      }),
    );
    const perFunction = (title: string, metric: (f: (typeof functions)[number]) => cloudwatch.IMetric) =>
      new cloudwatch.GraphWidget({ title, left: functions.map(metric), width: 6 });
    this.dashboard.addWidgets(
      perFunction('Invocations', (f) => f.function.metricInvocations({ period, label: f.name })),
      perFunction('Errors', (f) => f.function.metricErrors({ period, label: f.name })),
      perFunction('Duration (p90)', (f) => f.function.metricDuration({ period, statistic: 'p90', label: f.name })),
      perFunction('Throttles', (f) => f.function.metricThrottles({ period, label: f.name })),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (messages visible)',
        left: queues.map(([name, q]) => q.metricApproximateNumberOfMessagesVisible({ period, label: name, statistic: 'Maximum' })),
        width: 6,
      }),
      new cloudwatch.GraphWidget({ title: 'RDS CPU %', left: [db.metricCPUUtilization({ period })], width: 6 }),
      new cloudwatch.GraphWidget({
        title: 'RDS connections / free storage',
        left: [db.metricDatabaseConnections({ period })],
        right: [db.metricFreeStorageSpace({ period })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB throttles',
        left: ['ReadThrottleEvents', 'WriteThrottleEvents'].map((metricName) => table.metric(metricName, { period, statistic: 'Sum' })),
        width: 6,
      }),
    );

    if (!config.alarms) return;

    this.topic = new sns.Topic(this, 'Alarms', { displayName: `Collections ${config.name} alarms`, enforceSSL: true });
    acknowledge(this.topic, [
      [
        'AwsSolutions-SNS2',
        'Alarm notifications carry no user data; the AWS-managed SNS key cannot be used by CloudWatch alarms and a customer key costs $1/month.',
      ],
    ]);
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const problem = alarmSubscriberProblem(config);
    if (problem) Annotations.of(this.topic).addWarningV2(ALARMS_WITHOUT_SUBSCRIBER, problem);
    const action = new actions.SnsAction(this.topic);
    Aspects.of(Stack.of(this)).add(new AlarmActionsToTopic(this.topic));
    const alarm = (id: string, props: cloudwatch.AlarmProps) => {
      const a = new cloudwatch.Alarm(this, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
    };

    alarm('Api5xx', {
      alarmDescription: 'The HTTP API answered 5xx',
      metric: apiMetric('5xx', 'Sum'),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    for (const f of Object.values(compute.functions)) {
      alarm(`${toId(f.name)}Errors`, {
        alarmDescription: `${f.name} threw errors`,
        metric: f.function.metricErrors({ period, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
    for (const [name, q] of queues) {
      alarm(`${toId(name)}DlqNotEmpty`, {
        alarmDescription: `Events of ${name} gave up and wait in its dead-letter queue`,
        metric: q.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    alarm('DatabaseCpu', {
      alarmDescription: 'RDS CPU above 80% for 15 minutes',
      metric: db.metricCPUUtilization({ period, statistic: 'Average' }),
      threshold: 80,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const connectionsThreshold = Math.floor(config.database.maxConnections * 0.8);
    alarm('DatabaseConnections', {
      alarmDescription: `RDS connections above ${connectionsThreshold} (80% of max_connections ${config.database.maxConnections}) for 10 minutes`,
      metric: db.metricDatabaseConnections({ period, statistic: 'Maximum' }),
      threshold: connectionsThreshold,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    alarm('DatabaseFreeStorage', {
      alarmDescription: 'RDS free storage below 2 GiB (autoscaling at its ceiling?)',
      metric: db.metricFreeStorageSpace({ period, statistic: 'Minimum' }),
      threshold: 2 * 1024 ** 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    });
  }
}

/**
 * Gives every CloudWatch alarm of the stack that has no alarm action the topic as its alarm and
 * OK action, so an alarm added elsewhere (a new function's construct) cannot notify nobody.
 */
class AlarmActionsToTopic implements IAspect {
  constructor(private readonly topic: sns.ITopic) {}
  visit(node: IConstruct) {
    if (!(node instanceof cloudwatch.CfnAlarm)) return;
    // The L2 Alarm renders its actions lazily: resolve them to see whether any were added.
    const has = (v: unknown) => {
      const resolved: unknown = Stack.of(node).resolve(v);
      return Array.isArray(resolved) && resolved.length > 0;
    };
    if (!has(node.alarmActions)) node.alarmActions = [this.topic.topicArn];
    if (!has(node.okActions)) node.okActions = [this.topic.topicArn];
  }
}
