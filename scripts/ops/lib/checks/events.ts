/** Checks of the EventBridge rules that drive the processing pipeline. */
import { randomUUID } from 'node:crypto';
import { DescribeRuleCommand, EventBridgeClient, ListRuleNamesByTargetCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import type { LambdaName } from '../../../../src/contracts/aws.js';
import { EVENT_SOURCES } from '../../../../src/ports/event-bus.js';
import { clientConfig } from '../aws.js';
import { OUTPUT_KEYS } from '../stack.js';
import { accountOf, fail, output, pass, skip, type CheckState, type InfraCheck } from './shared.js';

export const eventbridgeCheck: InfraCheck = {
  id: 'eventbridge',
  title: 'EventBridge rules route to the pipeline functions',
  async run(state) {
    const bucket = output(state, OUTPUT_KEYS.bucket);
    const targets: [LambdaName, object][] = [
      ['image-processor', sampleS3Event(bucket ?? 'bucket', state)],
      ['analyzer', samplePipelineEvent('ImageProcessed', state)],
      ['embedder', samplePipelineEvent('AnalysisComplete', state)],
    ];
    if (targets.some(([n]) => !state.functions.get(n))) return skip('needs the functions check (function ARNs)');
    const busName = state.functions.get('api')?.env.EVENT_BUS_NAME ?? 'default';
    const eb = new EventBridgeClient(clientConfig({ ...state.ctx, region: state.region }));
    const notes: string[] = [];
    const problems: string[] = [];
    try {
      for (const [name, sample] of targets) {
        const arn = state.functions.get(name)!.arn;
        let matched = false;
        for (const bus of new Set(['default', busName])) {
          const { RuleNames } = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: bus }));
          for (const rule of RuleNames ?? []) {
            const r = await eb.send(new DescribeRuleCommand({ Name: rule, EventBusName: bus }));
            if (!r.EventPattern) continue; // a schedule
            const { Result } = await eb.send(new TestEventPatternCommand({ EventPattern: r.EventPattern, Event: JSON.stringify(sample) }));
            notes.push(`${name}: rule ${rule} on ${bus}, ${r.State}, sample event ${Result ? 'matches' : 'does not match'}`);
            if (Result && r.State === 'ENABLED') matched = true;
          }
        }
        if (!matched)
          problems.push(`${name}: no enabled rule matches a sample ${name === 'image-processor' ? 'S3 Object Created' : 'pipeline'} event`);
      }
    } finally {
      eb.destroy();
    }
    return problems.length
      ? fail(problems.join('; '), notes)
      : pass(
          'S3 Object Created → image-processor, ImageProcessed → analyzer, AnalysisComplete → embedder (delivery: see e2e-upload)',
          notes,
        );
  },
};

function sampleS3Event(bucket: string, state: CheckState) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: accountOf(state),
    time: new Date().toISOString(),
    region: state.region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key: 'user/originals/item.jpg', size: 1 }, reason: 'PutObject' },
  };
}

function samplePipelineEvent(type: 'ImageProcessed' | 'AnalysisComplete', state: CheckState) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source: EVENT_SOURCES[type],
    account: accountOf(state),
    time: new Date().toISOString(),
    region: state.region,
    resources: [],
    detail: { item_id: randomUUID(), user_id: 'user' },
  };
}
