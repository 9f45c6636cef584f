import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/**
 * cdk-nag 3 runs as a policy-validation plugin (`Validations.of(app).addPlugins(new
 * AwsSolutionsChecks(app))`, see app.ts): any unacknowledged finding makes synth fail. Findings
 * that are deliberate are acknowledged next to the resource they concern, each with its reason,
 * through this helper (one finding id per acknowledgement, as cdk-nag 3 requires).
 */
export function acknowledge(construct: IConstruct, findings: readonly (readonly [id: string, reason: string])[]) {
  for (const [id, reason] of findings) {
    if (!reason.trim()) throw new Error(`Acknowledgement of ${id} needs a reason`);
    Validations.of(construct).acknowledge({ id, reason });
  }
}

/**
 * How cdk-nag names the wildcard finding (AwsSolutions-IAM5) of one policy resource, or
 * undefined when the resource has no wildcard. Uses cdk-nag's own flattening, so the id is
 * right whether region and account are concrete or tokens.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string | undefined {
  const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
  return flat.includes('*') ? `AwsSolutions-IAM5[Resource::${flat}]` : undefined;
}

/**
 * Singleton handlers aws-cdk-lib adds to a stack on its own (S3 bucket notifications for
 * `eventBridgeEnabled`, auto-delete of objects, the default-security-group restriction): their
 * roles and runtimes are defined by the library, not by this app.
 */
const CDK_INTERNAL_HANDLERS = [
  'BucketNotificationsHandler',
  'Custom::S3AutoDeleteObjectsCustomResourceProvider',
  'Custom::VpcRestrictDefaultSGCustomResourceProvider',
];

export function acknowledgeCdkInternals(stack: Stack) {
  for (const child of stack.node.children) {
    if (!CDK_INTERNAL_HANDLERS.some((prefix) => child.node.id.startsWith(prefix))) continue;
    acknowledge(child, [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `${child.node.id} is an aws-cdk-lib handler; its role (logs only) is defined by the library.`,
      ],
      ['AwsSolutions-L1', `${child.node.id} is an aws-cdk-lib handler; its runtime is chosen by the library.`],
    ]);
  }
}
