import { awsErrorName, clientConfig } from './aws.js';
import type { OpsContext } from './context.js';
import { loadSdk, type CfnStack, type DescribeStacksResponse } from './sdk.js';

/** DescribeStacks of each named stack; a stack that does not exist is `undefined` (not deployed). */
export async function describeStacks(
  ctx: Pick<OpsContext, 'profile' | 'region'>,
  names: readonly string[],
): Promise<Map<string, DescribeStacksResponse | undefined>> {
  const { CloudFormationClient, DescribeStacksCommand } = await loadSdk('cloudformation');
  const client = new CloudFormationClient(clientConfig(ctx));
  try {
    const found = new Map<string, DescribeStacksResponse | undefined>();
    for (const name of names) {
      try {
        found.set(name, (await client.send(new DescribeStacksCommand({ StackName: name }))) as DescribeStacksResponse);
      } catch (err) {
        // "Stack with id X does not exist" is a ValidationError.
        if (awsErrorName(err) === 'ValidationError' && /does not exist/i.test(String((err as Error).message))) {
          found.set(name, undefined);
        } else throw err;
      }
    }
    return found;
  } finally {
    client.destroy();
  }
}

export const stackOf = (response: DescribeStacksResponse | undefined): CfnStack | undefined => response?.Stacks?.[0];
