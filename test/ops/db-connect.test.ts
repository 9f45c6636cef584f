import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSTALL_HINT, onPath, runDbConnect, sessionArgs, type DbConnectDeps } from '../../scripts/ops/commands/db-connect.js';
import { outputsFromDescribeStacks, writeOutputsFile } from '../../scripts/ops/lib/outputs.js';
import { contextFrom } from '../../scripts/ops/lib/program.js';
import { runtime, tempRoot } from './helpers/workspace.js';

/** db-connect's logic with its AWS and process effects injected (a scripted bastion). */
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
const OUTPUTS = { BastionInstanceId: 'i-0abc123', DatabaseEndpoint: 'db.abc.us-east-1.rds.amazonaws.com', DatabaseSecretArn: ARN };

function fakeDeps(initial: string, opts: { missing?: string[]; exit?: number; agentAfter?: number } = {}) {
  let state = initial;
  let agentPolls = 0;
  const calls: string[] = [];
  const deps: DbConnectDeps = {
    async state() {
      calls.push(`state:${state}`);
      const now = state;
      if (state === 'pending') state = 'running';
      if (state === 'stopping') state = 'stopped';
      return now;
    },
    async start(id) {
      calls.push(`start:${id}`);
      state = 'pending';
    },
    async stop(id) {
      calls.push(`stop:${id}`);
      state = 'stopping';
    },
    async agentOnline() {
      calls.push('agent');
      return ++agentPolls > (opts.agentAfter ?? 1);
    },
    hasProgram: async (name) => !(opts.missing ?? []).includes(name),
    async runAws(args) {
      calls.push(`aws ${args.join(' ')}`);
      if (opts.exit === -1) throw new Error('spawn aws ENOENT');
      return opts.exit ?? 130;
    },
    secret: async () => JSON.stringify({ username: 'collections', password: 'p@ss/w0rd', dbname: 'collections', port: 5432 }),
    sleep: async () => undefined,
  };
  return { deps, calls };
}

let ws: Awaited<ReturnType<typeof tempRoot>>;
beforeEach(async () => {
  ws = await tempRoot();
});
afterEach(() => ws.cleanup());

const outputs = (o: Record<string, string>) =>
  writeOutputsFile(
    ws.root,
    outputsFromDescribeStacks('dev', [
      {
        Stacks: [
          { StackName: 'Collections-dev', Outputs: Object.entries(o).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) },
        ],
      },
    ]),
  );

async function run(deps: DbConnectDeps, args: { port?: string; printUrl?: boolean; stop?: boolean; profile?: string } = {}) {
  const rt = runtime(ws.root);
  const ctx = { ...contextFrom({ ...(args.profile && { profile: args.profile }) }, rt), region: 'us-east-1' };
  const result = await runDbConnect(ctx, args, deps).then(
    (code) => ({ code, error: undefined as Error | undefined }),
    (error: Error) => ({ code: undefined, error }),
  );
  return { ...result, out: rt.out.text, err: rt.err.text };
}

describe('ops db-connect', () => {
  it('builds the start-session arguments of SSM port forwarding', () => {
    expect(
      sessionArgs({ instanceId: 'i-1', host: 'db.example', remotePort: 5432, localPort: 15432, region: 'eu-west-1', profile: 'ops' }),
    ).toEqual([
      'ssm',
      'start-session',
      '--target',
      'i-1',
      '--document-name',
      'AWS-StartPortForwardingSessionToRemoteHost',
      '--parameters',
      '{"host":["db.example"],"portNumber":["5432"],"localPortNumber":["15432"]}',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
    ]);
  });

  it('starts a stopped bastion, waits for its agent, forwards, prints psql without the password, and stops it after Ctrl-C', async () => {
    await outputs(OUTPUTS);
    const { deps, calls } = fakeDeps('stopped', { agentAfter: 2 });
    const r = await run(deps, { port: '15433', profile: 'ops' });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(calls.filter((c) => !c.startsWith('state') && c !== 'agent')).toEqual([
      'start:i-0abc123',
      `aws ${sessionArgs({ instanceId: 'i-0abc123', host: OUTPUTS.DatabaseEndpoint, remotePort: 5432, localPort: 15433, region: 'us-east-1', profile: 'ops' }).join(' ')}`,
      'stop:i-0abc123',
    ]);
    expect(calls.filter((c) => c === 'agent')).toHaveLength(3);
    expect(r.out).toContain('psql "host=localhost port=15433 dbname=collections user=collections sslmode=require"');
    expect(r.err).toContain(`aws secretsmanager get-secret-value --secret-id ${ARN}`);
    expect(r.out + r.err).not.toContain('p@ss');
    expect(r.err).toMatch(/Stopping i-0abc123 \(started by this command\)/);
  });

  it('leaves a bastion that was already running as it was (unless --stop), and passes the session exit code on', async () => {
    await outputs(OUTPUTS);
    let f = fakeDeps('running', { exit: 255 });
    let r = await run(f.deps);
    expect(r.code).toBe(255);
    expect(f.calls.some((c) => c.startsWith('start') || c.startsWith('stop'))).toBe(false);
    expect(r.err).toMatch(/keeps running/);
    f = fakeDeps('running');
    r = await run(f.deps, { stop: true });
    expect(f.calls).toContain('stop:i-0abc123');
  });

  it('stops what it started even when the session cannot start', async () => {
    await outputs(OUTPUTS);
    const { deps, calls } = fakeDeps('stopped', { exit: -1 });
    const r = await run(deps);
    expect(r.error?.message).toMatch(/ENOENT/);
    expect(calls[calls.length - 1]).toBe('stop:i-0abc123');
  });

  it('prints a URL with the password only when asked (--print-url)', async () => {
    await outputs(OUTPUTS);
    const r = await run(fakeDeps('running').deps, { printUrl: true });
    expect(r.out).toContain('postgres://collections:p%40ss%2Fw0rd@localhost:15432/collections?sslmode=no-verify');
  });

  it('says how to install the AWS CLI or the Session Manager plugin when missing, before touching the bastion', async () => {
    await outputs(OUTPUTS);
    for (const missing of ['aws', 'session-manager-plugin'] as const) {
      const { deps, calls } = fakeDeps('stopped', { missing: [missing] });
      const r = await run(deps);
      expect(r.error?.message).toBe(INSTALL_HINT[missing]);
      expect(calls).toEqual([]);
    }
  });

  it('refuses outputs without the bastion, a bad port, and a terminated bastion', async () => {
    await outputs({ DatabaseEndpoint: OUTPUTS.DatabaseEndpoint, DatabaseSecretArn: ARN });
    expect((await run(fakeDeps('running').deps)).error?.message).toMatch(/lack BastionInstanceId: deploy the stack/);
    await outputs(OUTPUTS);
    expect((await run(fakeDeps('running').deps, { port: '70000' })).error?.message).toMatch(/--port must be a TCP port/);
    const t = fakeDeps('terminated');
    expect((await run(t.deps)).error?.message).toMatch(/is terminated: deploy the stack again/);
    expect(t.calls.some((c) => c.startsWith('stop'))).toBe(false);
  });

  it('finds programs on PATH', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'collections-path-'));
    try {
      writeFileSync(path.join(dir, 'session-manager-plugin'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'session-manager-plugin'), 0o755);
      expect(await onPath('session-manager-plugin', `/nonexistent${path.delimiter}${dir}`)).toBe(true);
      expect(await onPath('aws-nope', dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
