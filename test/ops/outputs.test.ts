import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  outputsFromCdkOutputsFile,
  outputsFromDescribeStacks,
  outputsPath,
  parseStackArn,
  readOutputsFile,
  writeOutputsFile,
} from '../../scripts/ops/lib/outputs.js';
import type { DescribeStacksResponse } from '../../scripts/ops/lib/sdk.js';
import { functionNameOf, parseCdkList } from '../../scripts/ops/lib/stack.js';
import { logGroupOf } from '../../scripts/ops/commands/logs.js';
import { tempRoot } from './helpers/workspace.js';

/** What CloudFormation DescribeStacks returns (the SDK's shape: Dates, optional fields). */
const RESPONSE: DescribeStacksResponse = {
  Stacks: [
    {
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/collections-dev/0d1c2b3a-1111-2222-3333-444455556666',
      StackName: 'collections-dev',
      StackStatus: 'UPDATE_COMPLETE',
      CreationTime: new Date('2026-01-02T03:04:05Z'),
      LastUpdatedTime: new Date('2026-02-03T04:05:06Z'),
      Outputs: [
        { OutputKey: 'ApiUrl', OutputValue: 'https://a1b2c3.execute-api.eu-west-1.amazonaws.com/', Description: 'HTTP API' },
        { OutputKey: 'UserPoolId', OutputValue: 'eu-west-1_AbCdEf123', ExportName: 'collections-dev-user-pool' },
        { OutputKey: 'UserPoolClientId', OutputValue: '4abc5def6ghi' },
        { OutputKey: 'BucketName', OutputValue: 'collections-dev-bucket-xyz' },
        { OutputKey: 'Empty', OutputValue: '' },
        { OutputKey: 'NoValue' },
      ],
    },
  ],
};

let ws: Awaited<ReturnType<typeof tempRoot>>;
beforeEach(async () => {
  ws = await tempRoot();
});
afterEach(async () => {
  await ws.cleanup();
});

describe('.aws-outputs-{env}.json', () => {
  it('is built from DescribeStacks: outputs by stack and in one map, status, region and account from the stack ARN', () => {
    const file = outputsFromDescribeStacks('dev', [RESPONSE], new Date('2026-03-01T00:00:00Z'));
    expect(file).toEqual({
      env: 'dev',
      region: 'eu-west-1',
      account: '123456789012',
      written_at: '2026-03-01T00:00:00.000Z',
      source: 'cloudformation',
      stacks: {
        'collections-dev': {
          status: 'UPDATE_COMPLETE',
          outputs: {
            ApiUrl: 'https://a1b2c3.execute-api.eu-west-1.amazonaws.com/',
            UserPoolId: 'eu-west-1_AbCdEf123',
            UserPoolClientId: '4abc5def6ghi',
            BucketName: 'collections-dev-bucket-xyz',
            Empty: '',
          },
        },
      },
      outputs: {
        ApiUrl: 'https://a1b2c3.execute-api.eu-west-1.amazonaws.com/',
        BucketName: 'collections-dev-bucket-xyz',
        Empty: '',
        UserPoolClientId: '4abc5def6ghi',
        UserPoolId: 'eu-west-1_AbCdEf123',
      },
    });
  });

  it('merges several stacks; a key two stacks give different values is kept under both stack names', () => {
    const second: DescribeStacksResponse = {
      Stacks: [
        {
          StackName: 'collections-dev-data',
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'BucketName', OutputValue: 'other' },
            { OutputKey: 'ChatTableName', OutputValue: 't' },
          ],
        },
      ],
    };
    const file = outputsFromDescribeStacks('dev', [RESPONSE, second]);
    expect(file.outputs.ChatTableName).toBe('t');
    expect(file.outputs.BucketName).toBeUndefined();
    expect(file.outputs['collections-dev.BucketName']).toBe('collections-dev-bucket-xyz');
    expect(file.outputs['collections-dev-data.BucketName']).toBe('other');
    expect(Object.keys(file.stacks)).toEqual(['collections-dev', 'collections-dev-data']);
  });

  it('is built from `cdk deploy --outputs-file` as well', () => {
    const file = outputsFromCdkOutputsFile('test', { 'collections-test': { ApiUrl: 'https://x/', Port: 5432 } }, { region: 'us-east-1' });
    expect(file).toMatchObject({ env: 'test', region: 'us-east-1', source: 'cdk-deploy', outputs: { ApiUrl: 'https://x/', Port: '5432' } });
  });

  it('is written atomically as pretty JSON and read back; the env must match', async () => {
    const written = await writeOutputsFile(ws.root, outputsFromDescribeStacks('dev', [RESPONSE]));
    expect(written).toBe(path.join(ws.root, '.aws-outputs-dev.json'));
    const text = await readFile(written, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "outputs": {');
    expect((await readOutputsFile(ws.root, 'dev')).outputs.UserPoolId).toBe('eu-west-1_AbCdEf123');

    await writeFile(outputsPath(ws.root, 'prod'), text);
    await expect(readOutputsFile(ws.root, 'prod')).rejects.toThrow(/describes env "dev", not "prod"/);
    await expect(readOutputsFile(ws.root, 'test')).rejects.toThrow(
      /\.aws-outputs-test\.json not found: run `npm run ops -- outputs --env test`/,
    );
  });

  it('reads region and account from stack ARNs, and nothing from other strings', () => {
    expect(parseStackArn('arn:aws-cn:cloudformation:cn-north-1:210987654321:stack/x/y')).toEqual({
      region: 'cn-north-1',
      account: '210987654321',
    });
    expect(parseStackArn('collections-dev')).toEqual({});
    expect(parseStackArn(undefined)).toEqual({});
  });
});

describe('stack names and function names', () => {
  it('reads stack names from `cdk list --long --json` (the CloudFormation name, not the construct id)', () => {
    const stdout = `[\n  {"id": "Collections-dev (collections-dev)", "name": "collections-dev", "environment": {"account": "unknown-account"}},\n  {"id": "Other"}\n]\n`;
    expect(parseCdkList(stdout)).toEqual(['collections-dev', 'Other']);
    expect(() => parseCdkList('no stacks')).toThrow(/no stack list/);
  });

  it('names functions collections-{env}-{name} unless an output names them', () => {
    const file = outputsFromDescribeStacks('prod', [
      { Stacks: [{ StackName: 's', Outputs: [{ OutputKey: 'ImageProcessorFunctionName', OutputValue: 'custom-ip' }] }] },
    ]);
    expect(functionNameOf(file, 'api')).toBe('collections-prod-api');
    expect(functionNameOf(file, 'image-processor')).toBe('custom-ip');
    expect(logGroupOf(file, 'prod', 'api')).toBe('/aws/lambda/collections-prod-api');
    expect(logGroupOf(undefined, 'dev', 'migrate')).toBe('/aws/lambda/collections-dev-migrate');
  });
});
