import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENTS, type DeploymentEnv } from '../../../src/contracts/aws.js';

/** The repository root (scripts/ops/lib → ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * What every operations command receives: the environment it acts on, the AWS profile and
 * region to pass through, where it works, and its streams. Commands write what they do to
 * `stderr` (progress, questions) and results meant for pipes to `stdout`.
 */
export interface OpsContext {
  env: DeploymentEnv;
  profile?: string;
  region?: string;
  /** Repository root: infra/ lives below it, .aws-outputs-{env}.json and reports/ are written there. */
  root: string;
  /** The process environment the command sees (and hands to the programs it starts). */
  vars: NodeJS.ProcessEnv;
  io: OpsIo;
}

export interface OpsIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** An expected failure: its message is printed as is (no stack) and the exit code is `exitCode`. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

export function isDeploymentEnv(value: string): value is DeploymentEnv {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

/** `--env`, else CDK_ENV, else dev; anything else is refused with the list of names. */
export function resolveEnv(option: string | undefined, vars: NodeJS.ProcessEnv): DeploymentEnv {
  const value = option ?? (vars.CDK_ENV && vars.CDK_ENV.trim() !== '' ? vars.CDK_ENV.trim() : 'dev');
  if (!isDeploymentEnv(value)) {
    const from = option !== undefined ? '--env' : 'CDK_ENV';
    throw new OpsError(`${from} must be one of ${ENVIRONMENTS.join(', ')} (got "${value}")`);
  }
  return value;
}

export const line = (stream: NodeJS.WritableStream, text = '') => stream.write(`${text}\n`);

/** A timestamp safe in file names: 2026-05-01T12-30-05Z. */
export function fileTimestamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}
