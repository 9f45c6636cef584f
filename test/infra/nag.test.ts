import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../../src/contracts/aws.js';
import type { CollectionsStack } from '../../infra/lib/collections-stack.js';
import { ALARMS_WITHOUT_SUBSCRIBER } from '../../infra/lib/monitoring.js';
import { removeOutdirs, synthesize } from './helpers.js';

/**
 * cdk-nag (AwsSolutionsChecks) runs on every synth as a policy-validation plugin: zero
 * unacknowledged findings in every environment, every acknowledgement with a reason, and the
 * check really fails a synth that breaks a rule.
 */

afterAll(removeOutdirs);

function acknowledgements(root: { node: { findAll(): { node: { metadata: { type: string; data: unknown }[]; path: string } }[] } }) {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        found.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

describe.each(ENVIRONMENTS)('%s', (env) => {
  // Template.fromStack (inside synthesize) ran the app's synth, cdk-nag included.
  const synthesized = () => synthesize(env);

  it('synthesizes with zero unacknowledged AwsSolutions findings; every acknowledgement has a reason', () => {
    const { app, outdir } = synthesized();
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations?: unknown[] }[];
    };
    // The one expected entry: the warning of an environment whose alarms have no subscriber yet
    // (monitoring.ts; deliberate, so that a fresh clone synthesizes every environment).
    const violations = report.pluginReports.flatMap((r) => (r.violations ?? []) as { ruleName?: string }[]);
    expect(violations.filter((v) => v.ruleName !== `Annotation::${ALARMS_WITHOUT_SUBSCRIBER}`)).toEqual([]);

    // aws-cdk-lib acknowledges a few CloudFormation-Validate warnings of its own constructs.
    const acks = acknowledgements(app).filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(30);
    }
  });
});

describe('the check', () => {
  it('fails the synth on an unacknowledged finding', () => {
    const change = (stack: CollectionsStack) =>
      stack.compute.functions.embedder.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(() => synthesize('dev', { change })).toThrow(/AwsSolutions-IAM5\[Action::s3:\*\]/);
  });

  it('passes with a concrete account and region too, without any context lookup (offline)', () => {
    const { app, stack } = synthesize('prod', {
      processEnv: { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'eu-west-1' },
    });
    expect([stack.account, stack.region]).toEqual(['111122223333', 'eu-west-1']);
    const assembly = app.synth();
    expect(assembly.manifest.missing).toBeUndefined();
    expect(existsSync(path.join(assembly.directory, 'validation-report.json'))).toBe(true);
  });
});
