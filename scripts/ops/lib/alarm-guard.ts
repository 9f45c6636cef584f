import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { alarmSubscriberProblem, CONTEXT_KEYS, loadEnvironmentConfig } from '../../../infra/lib/config.js';
import type { OpsContext } from './context.js';

/**
 * Why a deploy of the environment would leave its alarms with nobody to tell, or undefined.
 * Reads the settings the CDK app will read (infra/cdk.json and infra/cdk.context.json), with an
 * `alarmEmail` given on the command line (`--context alarmEmail=…` among the cdk arguments)
 * taking precedence, as it does in the app.
 */
export function alarmGuard(ctx: Pick<OpsContext, 'root' | 'env'>, cdkArgs: readonly string[]): string | undefined {
  const infra = path.join(ctx.root, 'infra');
  // No settings file: nothing to judge here (the CDK app itself stops on it).
  if (!existsSync(path.join(infra, 'cdk.context.json'))) return undefined;
  const read = (file: string) => JSON.parse(readFileSync(path.join(infra, file), 'utf8')) as Record<string, unknown>;
  const context: Record<string, unknown> = { ...((read('cdk.json').context as object) ?? {}), ...read('cdk.context.json'), env: ctx.env };
  for (let i = 0; i < cdkArgs.length; i++) {
    const value =
      cdkArgs[i] === '--context' || cdkArgs[i] === '-c'
        ? cdkArgs[i + 1]
        : cdkArgs[i]!.startsWith('--context=')
          ? cdkArgs[i]!.slice(10)
          : undefined;
    const [key, ...rest] = (value ?? '').split('=');
    if (key === CONTEXT_KEYS.alarmEmail && rest.length) context[key] = rest.join('=');
  }
  return alarmSubscriberProblem(loadEnvironmentConfig({ tryGetContext: (key) => context[key] }, {}));
}
