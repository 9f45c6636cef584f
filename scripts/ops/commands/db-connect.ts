import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, line, type OpsContext } from '../lib/context.js';
import { readOutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { loadSdk, type DescribeInstancesResponse } from '../lib/sdk.js';

interface DbConnectOptions extends CommonOptions {
  port?: string;
  printUrl?: boolean;
  stop?: boolean;
}

/** The outputs db-connect needs (infra/lib/collections-stack.ts). */
const Needed = z.object({
  BastionInstanceId: z.string().regex(/^i-[0-9a-f]+$/),
  DatabaseEndpoint: z.string().min(1),
  DatabaseSecretArn: z.string().startsWith('arn:'),
});
/** The RDS secret's fields (written by RDS / the CDK's DatabaseSecret). */
const Secret = z.object({ username: z.string(), password: z.string(), dbname: z.string().optional(), port: z.coerce.number().optional() });

export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';
const DB_PORT = 5432;
const DB_NAME = 'collections';
const DB_USER = 'collections';

/** What db-connect does to the world, injectable so its logic is tested without AWS. */
export interface DbConnectDeps {
  /** The instance's state name (pending, running, stopping, stopped, …). */
  state(id: string): Promise<string | undefined>;
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  /** Whether the instance's SSM agent is registered and online (sessions fail before). */
  agentOnline(id: string): Promise<boolean>;
  /** Whether a program is on PATH. */
  hasProgram(name: string): Promise<boolean>;
  /** Runs `aws <args>` attached to the terminal; resolves with its exit code. */
  runAws(args: string[]): Promise<number>;
  /** The database secret's JSON text (only with --print-url). */
  secret(arn: string): Promise<string>;
  sleep(ms: number): Promise<void>;
}

/** The `aws ssm start-session` arguments of a port forward to the database. */
export function sessionArgs(o: {
  instanceId: string;
  host: string;
  remotePort: number;
  localPort: number;
  profile?: string;
  region: string;
}): string[] {
  return [
    'ssm',
    'start-session',
    '--target',
    o.instanceId,
    '--document-name',
    PORT_FORWARDING_DOCUMENT,
    // The JSON form of the document's parameters (each a list of strings), no shell quoting needed.
    '--parameters',
    JSON.stringify({ host: [o.host], portNumber: [String(o.remotePort)], localPortNumber: [String(o.localPort)] }),
    '--region',
    o.region,
    ...(o.profile ? ['--profile', o.profile] : []),
  ];
}

export const INSTALL_HINT = {
  aws: 'AWS CLI v2 is not installed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
  'session-manager-plugin':
    'The Session Manager plugin of the AWS CLI is not installed: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html (macOS: brew install --cask session-manager-plugin)',
} as const;

/**
 * `ops db-connect`: localhost:PORT → the RDS endpoint, through the bastion (SSM port forwarding;
 * the database has no public endpoint). Starts the bastion when it is stopped and stops it again
 * on exit (Ctrl-C) when this command started it (--stop: in any case).
 */
export function dbConnectCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('db-connect', 'Forward localhost:PORT to the database through the bastion (SSM Session Manager); Ctrl-C ends it')
    .option('--port <port>', 'local port', '15432')
    .option('--print-url', 'also print a postgres:// URL with the password (read from Secrets Manager)')
    .option('--stop', 'stop the bastion at the end even if it was already running')
    .action(
      opsAction<DbConnectOptions>(rt, exit, async (ctx, opts) => {
        const { region } = await requireCredentials({ ...ctx, region: ctx.region ?? (await readOutputsFile(ctx.root, ctx.env)).region });
        return runDbConnect({ ...ctx, region }, opts, await awsDeps({ ...ctx, region }));
      }),
    );
}

export async function runDbConnect(ctx: OpsContext & { region: string }, opts: DbConnectOptions, deps: DbConnectDeps): Promise<number> {
  const outputs = await readOutputsFile(ctx.root, ctx.env);
  const parsed = Needed.safeParse(outputs.outputs);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new OpsError(
      `The outputs of ${ctx.env} lack ${missing}: deploy the stack (it creates the bastion), then \`npm run ops -- outputs --env ${ctx.env}\`.`,
    );
  }
  const { BastionInstanceId: id, DatabaseEndpoint: host, DatabaseSecretArn: secretArn } = parsed.data;
  const localPort = Number(opts.port ?? 15432);
  if (!Number.isInteger(localPort) || localPort < 1 || localPort > 65535)
    throw new OpsError(`--port must be a TCP port (got "${opts.port}")`);
  for (const program of ['aws', 'session-manager-plugin'] as const) {
    if (!(await deps.hasProgram(program))) throw new OpsError(INSTALL_HINT[program]);
  }

  // Set as soon as StartInstances succeeds, so a later failure still stops what was started.
  const started = { here: false };
  try {
    await ensureRunning(ctx, deps, id, started);
    line(ctx.io.stderr, `Forwarding localhost:${localPort} → ${host}:${DB_PORT} through ${id} (Ctrl-C ends it).`);
    line(ctx.io.stdout, `psql "host=localhost port=${localPort} dbname=${DB_NAME} user=${DB_USER} sslmode=require"`);
    if (opts.printUrl) {
      const s = Secret.parse(JSON.parse(await deps.secret(secretArn)));
      // no-verify: TLS, but the certificate names the RDS host, not localhost (node-postgres).
      line(
        ctx.io.stdout,
        `postgres://${encodeURIComponent(s.username)}:${encodeURIComponent(s.password)}@localhost:${localPort}/${s.dbname ?? DB_NAME}?sslmode=no-verify`,
      );
    } else {
      line(
        ctx.io.stderr,
        `Password: aws secretsmanager get-secret-value --secret-id ${secretArn} --query SecretString --output text (the "password" field), or run again with --print-url.`,
      );
    }
    // Ctrl-C reaches the aws CLI too (same process group) and ends the session; this process
    // must outlive it to stop the bastion, so it ignores the signal while the session runs.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    try {
      const code = await deps.runAws(
        sessionArgs({
          instanceId: id,
          host,
          remotePort: DB_PORT,
          localPort,
          region: ctx.region,
          ...(ctx.profile && { profile: ctx.profile }),
        }),
      );
      // 130 (SIGINT) is how a session ended with Ctrl-C looks; that is the normal end.
      return code === 130 ? 0 : code;
    } finally {
      process.off('SIGINT', ignore);
    }
  } finally {
    if (started.here || opts.stop) {
      line(ctx.io.stderr, `Stopping ${id}${started.here ? ' (started by this command)' : ''}…`);
      await deps.stop(id);
    } else {
      line(ctx.io.stderr, `${id} keeps running (it was running before; --stop stops it). Running costs about $3/month.`);
    }
  }
}

/** Starts the instance when it is stopped and waits for its SSM agent (`started.here`: it started it). */
async function ensureRunning(
  ctx: OpsContext,
  deps: DbConnectDeps,
  id: string,
  started: { here: boolean },
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await deps.state(id);
    if (state === 'running') break;
    if (state === 'stopped') {
      line(ctx.io.stderr, `Starting the bastion ${id} (stopped)…`);
      await deps.start(id);
      started.here = true;
    } else if (state !== 'pending' && state !== 'stopping') {
      throw new OpsError(`The bastion ${id} is ${state ?? 'not found'}: deploy the stack again to replace it.`);
    }
    if (Date.now() > deadline) throw new OpsError(`The bastion ${id} is still ${state} after ${timeoutMs / 1000} s.`);
    await deps.sleep(3000);
  }
  while (!(await deps.agentOnline(id))) {
    if (Date.now() > deadline)
      throw new OpsError(`The SSM agent of ${id} is not online after ${timeoutMs / 1000} s (does the VPC's NAT work?).`);
    await deps.sleep(3000);
  }
}

/** The real dependencies: EC2 (optional SDK), SSM, Secrets Manager, and the AWS CLI. */
async function awsDeps(ctx: OpsContext & { region: string }): Promise<DbConnectDeps> {
  const ec2 = await loadSdk('ec2');
  const config = clientConfig(ctx);
  const client = () => new ec2.EC2Client(config);
  const withClient = async <T>(fn: (c: InstanceType<typeof ec2.EC2Client>) => Promise<T>) => {
    const c = client();
    try {
      return await fn(c);
    } finally {
      c.destroy();
    }
  };
  return {
    state: (id) =>
      withClient(async (c) => {
        const r = (await c.send(new ec2.DescribeInstancesCommand({ InstanceIds: [id] }))) as DescribeInstancesResponse;
        return r.Reservations?.[0]?.Instances?.[0]?.State?.Name;
      }),
    start: (id) => withClient(async (c) => void (await c.send(new ec2.StartInstancesCommand({ InstanceIds: [id] })))),
    stop: (id) => withClient(async (c) => void (await c.send(new ec2.StopInstancesCommand({ InstanceIds: [id] })))),
    async agentOnline(id) {
      const ssm = new SSMClient(config);
      try {
        const r = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }));
        return r.InstanceInformationList?.[0]?.PingStatus === 'Online';
      } finally {
        ssm.destroy();
      }
    },
    hasProgram: (name) => onPath(name, ctx.vars.PATH ?? ''),
    runAws: (args) =>
      new Promise((resolve, reject) => {
        const child = spawn('aws', args, { stdio: 'inherit', env: ctx.vars });
        child.once('error', reject);
        child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
      }),
    async secret(arn) {
      const sm = await loadSdk('secretsManager');
      const c = new sm.SecretsManagerClient(config);
      try {
        const r = (await c.send(new sm.GetSecretValueCommand({ SecretId: arn }))) as { SecretString?: string };
        if (!r.SecretString) throw new OpsError(`The secret ${arn} has no SecretString.`);
        return r.SecretString;
      } finally {
        c.destroy();
      }
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

export async function onPath(name: string, pathVar: string): Promise<boolean> {
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    const ok = await access(path.join(dir, name), constants.X_OK).then(
      () => true,
      () => false,
    );
    if (ok) return true;
  }
  return false;
}
