import { spawn } from 'node:child_process';

/**
 * How long a fresh `node` takes to import a module, measured inside the process
 * (performance.now() around `import()`) and as the whole process's wall time. A preload records
 * any network connection opened during the import: handlers must not do I/O at import time.
 */
export interface InitSample {
  importMs: number;
  wallMs: number;
  connects: string[];
  exportsHandler: boolean;
}

const PRELOAD = `
import net from 'node:net';
const connect = net.Socket.prototype.connect;
globalThis.__benchConnects = [];
net.Socket.prototype.connect = function (...args) {
  const o = args[0];
  globalThis.__benchConnects.push(typeof o === 'object' && o ? (o.path ?? \`\${o.host ?? 'localhost'}:\${o.port}\`) : String(o));
  return connect.apply(this, args);
};
`;

export async function measureImport(
  moduleUrl: string,
  opts: { nodeArgs?: string[]; env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<InitSample> {
  const script =
    `const t0 = performance.now(); const m = await import(${JSON.stringify(moduleUrl)}); const ms = performance.now() - t0;` +
    `process.stdout.write('\\nBENCH ' + JSON.stringify({ importMs: ms, connects: globalThis.__benchConnects ?? [], exportsHandler: typeof m.handler === 'function' }) + '\\n');` +
    `process.exit(0);`;
  const args = [
    ...(opts.nodeArgs ?? []),
    '--import',
    `data:text/javascript,${encodeURIComponent(PRELOAD)}`,
    '--input-type=module',
    '-e',
    script,
  ];
  const t0 = performance.now();
  return new Promise<InitSample>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      const line = out.split('\n').find((l) => l.startsWith('BENCH '));
      if (code !== 0 || !line) {
        reject(new Error(`importing ${moduleUrl} failed (exit ${code}):\n${(err || out).slice(-2000)}`));
        return;
      }
      const parsed = JSON.parse(line.slice(6)) as Omit<InitSample, 'wallMs'>;
      resolve({ ...parsed, wallMs });
    });
  });
}
