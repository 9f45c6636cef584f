/** Checks of the deployment's configuration: the stack outputs and Parameter Store. */
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SECRET_NAMES, parameterPrefix } from '../../../../src/contracts/aws.js';
import { clientConfig } from '../aws.js';
import { OUTPUT_KEYS } from '../stack.js';
import { fail, output, pass, type InfraCheck } from './shared.js';

export const outputsCheck: InfraCheck = {
  id: 'outputs',
  title: 'Stack outputs present',
  async run(state) {
    const wanted = [OUTPUT_KEYS.apiUrl, OUTPUT_KEYS.userPoolId, OUTPUT_KEYS.userPoolClientId, OUTPUT_KEYS.bucket, OUTPUT_KEYS.chatTable];
    const missing = wanted.filter((k) => !output(state, k));
    const stacks = Object.entries(state.outputs.stacks).map(([n, s]) => `${n}${s.status ? ` ${s.status}` : ''}`);
    if (missing.length) return fail(`missing ${missing.join(', ')}`, [`stacks: ${stacks.join(', ')}`]);
    return pass(`${Object.keys(state.outputs.outputs).length} outputs from ${stacks.join(', ')}`);
  },
};

export const parameterStoreCheck: InfraCheck = {
  id: 'parameter-store',
  title: 'Parameter Store readable (SecureString secrets)',
  async run(state) {
    const ssm = new SSMClient(clientConfig({ ...state.ctx, region: state.region }));
    try {
      const prefix = parameterPrefix(state.ctx.env);
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: prefix.replace(/\/+$/, ''), WithDecryption: true, NextToken }));
        for (const p of page.Parameters ?? []) if (p.Name) names.push(`${p.Name.slice(prefix.length)} (${p.Type})`);
        NextToken = page.NextToken;
      } while (NextToken);
      const known = SECRET_NAMES.filter((n) => names.some((x) => x.startsWith(`${n} `)));
      return pass(`${names.length} parameters under ${prefix}, decrypted; secrets set: ${known.join(', ') || 'none'}`, [
        `parameters: ${names.join(', ') || '(none)'}`,
        ...(known.length === 0 ? ['no API key is set: the functions use the offline providers (npm run ops -- secrets-populate)'] : []),
      ]);
    } finally {
      ssm.destroy();
    }
  },
};
