/**
 * npm run bench:lambda — for each function of LAMBDA_FUNCTIONS whose entry file exists: bundle
 * it with the stack's bundler (infra/lib/bundle.ts: ESM, node22, minified, code splitting, the
 * AWS SDK bundled, sharp external), report its sizes (the code parsed at init against 2 MB, all
 * code, the whole package), and measure init: p50 of importing the bundle in a fresh `node`
 * (BENCH_RUNS, default 10) against importing the TypeScript entry through tsx.
 * Targets: api init ≤ 300 ms, every bundle's init code ≤ 2 MB.
 *
 * Caveats: this machine is not Lambda (x86-64 here, arm64 there; Lambda's init also starts the
 * runtime and downloads the code); the bundle includes the SDK version pinned in
 * package-lock.json (the stack sets bundleAwsSDK), so the runtime's own SDK is not used.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LAMBDA_FUNCTIONS, type LambdaName } from '../src/contracts/aws.js';
import { bundleFunction, directoryBytes, esbuildOptions, LEFT_OUT, type BundleReport } from '../infra/lib/bundle.js';
import { measureImport, type InitSample } from './lib/init-time.js';
import { percentile, round } from './lib/stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));
const ONLY = process.env.BENCH_FUNCTIONS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const MAX_BUNDLE_BYTES = 2 * 1024 * 1024;
/** BENCH_TSX=0 skips the unbundled (tsx) side; BENCH_TOP_PACKAGES=N lists each bundle's N largest packages. */
const WITH_TSX = process.env.BENCH_TSX !== '0';
const TOP_PACKAGES = Number(process.env.BENCH_TOP_PACKAGES ?? 0);
const API_INIT_TARGET_MS = 300;

/**
 * What the stack sets on the functions (names and ARNs, no secrets), plus static fake
 * credentials and a region: importing must need nothing else and must not call AWS.
 */
const HANDLER_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  COLLECTIONS_ENV: 'dev',
  EVENT_BUS: 'eventbridge',
  EVENT_BUS_NAME: 'collections-dev',
  S3_BUCKET: 'collections-dev-bench',
  DATABASE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:collections-dev-db-AbCdEf',
  CHAT_TABLE: 'collections-dev-chat',
  SSM_PARAMETER_PREFIX: '/collections/dev/',
  AUTH_MODE: 'jwt',
  COGNITO_USER_POOL_ID: 'us-east-1_BenchPool',
  COGNITO_CLIENT_ID: 'benchclientid',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'collections-dev-bench',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
};

interface Row {
  name: LambdaName;
  bundle: BundleReport;
  packageBytes: number;
  bundled: InitSample[];
  source: InitSample[];
}

async function samples(n: number, run: () => Promise<InitSample>): Promise<InitSample[]> {
  const out: InitSample[] = [];
  for (let i = 0; i < n; i++) out.push(await run());
  return out;
}

const p50 = (xs: InitSample[], key: 'importMs' | 'wallMs') =>
  xs.length
    ? round(
        percentile(
          xs.map((x) => x[key]),
          50,
        ),
        0,
      )
    : NaN;
const ms = (x: number) => (Number.isNaN(x) ? 'FAILED' : `${x} ms`);

/** The first meaningful line of an import failure (the error itself, not the code excerpt). */
function firstError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (
    text
      .split('\n')
      .find((l) => /^\w*Error\b|Error:/.test(l.trim()))
      ?.trim() ?? text.split('\n')[0]!
  );
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

async function main() {
  const opts = esbuildOptions(ROOT, 'x.ts', 'out');
  console.error(
    `bundling with infra/lib/bundle.ts: ${opts.format}, ${opts.target}, splitting ${opts.splitting}, minify ${opts.minify}, ` +
      `AWS SDK bundled, external: ${(opts.external ?? []).join(', ')} (left out: ${LEFT_OUT.join(', ')}); ${RUNS} runs each`,
  );
  const work = await mkdtemp(path.join(tmpdir(), 'collections-bench-lambda-'));
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
  const rows: Row[] = [];
  const problems: string[] = [];
  try {
    for (const [name, { entry }] of Object.entries(LAMBDA_FUNCTIONS) as [LambdaName, { entry: string }][]) {
      if (ONLY && !ONLY.includes(name)) continue;
      if (!existsSync(path.join(ROOT, entry))) {
        console.error(`${name}: ${entry} does not exist yet, skipped`);
        continue;
      }
      // <work>/<name>/task/index.mjs: like /var/task/index.mjs, two levels below a folder.
      const dir = path.join(work, name, 'task');
      let bundle: BundleReport;
      try {
        // sharp: the host's build, linked (the stack copies infra/native's linux-arm64 build).
        bundle = bundleFunction(ROOT, entry, dir, { dir: path.join(ROOT, 'node_modules'), link: true });
      } catch (err) {
        problems.push(`${name}: esbuild failed: ${firstError(err)}`);
        continue;
      }
      const packageBytes = directoryBytes(dir);
      console.error(
        `${name}: init code ${mb(bundle.initBytes)}, all code ${mb(bundle.totalBytes)} in ${bundle.files} files, package ${mb(packageBytes)}`,
      );
      let bundled: InitSample[] = [];
      let source: InitSample[] = [];
      try {
        bundled = await samples(RUNS, () => measureImport(pathToFileURL(path.join(dir, 'index.mjs')).href, { env: HANDLER_ENV, cwd: dir }));
      } catch (err) {
        problems.push(`${name}: the bundle does not load: ${firstError(err)}`);
      }
      if (WITH_TSX)
        try {
          source = await samples(RUNS, () =>
            measureImport(pathToFileURL(path.join(ROOT, entry)).href, { env: HANDLER_ENV, cwd: ROOT, nodeArgs: ['--import', tsx] }),
          );
        } catch (err) {
          problems.push(`${name}: the TypeScript entry does not load: ${firstError(err)}`);
        }
      for (const s of [...bundled, ...source]) {
        if (s.connects.length) problems.push(`${name}: opened network connections while importing: ${[...new Set(s.connects)].join(', ')}`);
        if (!s.exportsHandler) problems.push(`${name}: the module exports no handler function`);
      }
      rows.push({ name, bundle, packageBytes, bundled, source });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  const head = [
    'function',
    'init code',
    '≤ 2 MB',
    'all code',
    'package',
    'init bundled p50',
    'process p50',
    'init tsx p50',
    'process p50 (tsx)',
    'beside the code',
  ];
  const table = rows.map((r) => [
    r.name,
    mb(r.bundle.initBytes),
    r.bundle.initBytes <= MAX_BUNDLE_BYTES ? 'yes' : 'NO',
    mb(r.bundle.totalBytes),
    mb(r.packageBytes),
    ms(p50(r.bundled, 'importMs')),
    ms(p50(r.bundled, 'wallMs')),
    WITH_TSX ? ms(p50(r.source, 'importMs')) : 'skipped',
    WITH_TSX ? ms(p50(r.source, 'wallMs')) : 'skipped',
    [...r.bundle.runtimeFiles, ...r.bundle.natives.map((n) => `node_modules/${n}`)].join(', ') || '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(fmt(row));

  const api = rows.find((r) => r.name === 'api');
  const bundlesOk = rows.every((r) => r.bundle.initBytes <= MAX_BUNDLE_BYTES);
  console.log('');
  console.log(
    `"init code" = index.mjs and the chunks it imports statically (what Node parses at init); "all code" adds the chunks loaded with import() on first use; ` +
      `"package" = the unzipped deployment package (code, runtime files, sharp). "init" = import() of the handler module in a fresh node ${process.version} (${process.arch}), ` +
      `p50 of ${RUNS}; "process" = whole process wall time.`,
  );
  if (api) {
    const init = p50(api.bundled, 'importMs');
    console.log(
      `target api init ≤ ${API_INIT_TARGET_MS} ms: ${ms(init)} ${init <= API_INIT_TARGET_MS ? 'MET' : 'NOT MET'} (the original plan allowed 3 s and measured 7–8 s)`,
    );
  }
  console.log(
    `target every bundle's init code ≤ 2 MB: ${
      bundlesOk
        ? 'MET'
        : `NOT MET (${rows
            .filter((r) => r.bundle.initBytes > MAX_BUNDLE_BYTES)
            .map((r) => `${r.name} ${mb(r.bundle.initBytes)}`)
            .join(', ')})`
    }`,
  );
  if (TOP_PACKAGES > 0) {
    for (const r of rows) {
      const top = r.bundle.initByPackage.slice(0, TOP_PACKAGES).map(([p, b]) => `${p} ${(b / 1024).toFixed(0)} KB`);
      console.log(`${r.name} init code, largest: ${top.join(', ')}`);
    }
  }
  for (const p of [...new Set(problems)]) console.log(`PROBLEM ${p}`);
  if (problems.length) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
