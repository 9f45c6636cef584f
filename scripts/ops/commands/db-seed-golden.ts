import { spawn } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SECRET_NAMES } from '../../../src/contracts/aws.js';
import { apiCall, postToPresignedForm } from '../lib/api-client.js';
import { clientConfig, requireCredentials } from '../lib/aws.js';
import { OpsError, fileTimestamp, line, type OpsContext } from '../lib/context.js';
import { readOutputsFile, type OutputsFile } from '../lib/outputs.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';
import { ask } from '../lib/prompt.js';
import { OUTPUT_KEYS } from '../lib/stack.js';
import { passwordFlow, signIn } from '../lib/test-user.js';
import { readSecrets } from './secrets.js';

interface SeedOptions extends CommonOptions {
  via: 'importer' | 'api';
  golden?: string;
  images?: string;
  databaseUrl?: string;
  user?: string;
  email?: string;
  token?: string;
  wait?: boolean;
}

/** `$COLLECTIONS_SHARED_DIR/data/golden` (default ../shared next to the repository), as `collections eval` finds it. */
export function defaultGolden(root: string, vars: NodeJS.ProcessEnv) {
  const dir = path.join(path.resolve(vars.COLLECTIONS_SHARED_DIR ?? path.join(root, '..', 'shared')), 'data', 'golden');
  return { analyses: path.join(dir, 'analyses.json'), images: path.join(dir, 'images') };
}

/**
 * `ops db-seed-golden`: puts the golden set (55 human-reviewed analyses and their screenshots)
 * into a deployed environment, for one user. Two honest routes, because the database is in
 * private subnets:
 *
 * - `--via importer` (default): runs the existing importer (`collections import --format
 *   golden`) on this machine against the environment: DATABASE_URL you provide (an SSM/SSH
 *   tunnel to RDS, docs/deploy.md), S3_BUCKET from the outputs, and the environment's API keys
 *   from Parameter Store so the same embedder as the functions' is used. The golden analyses
 *   and item ids are kept: `collections eval --url <ApiUrl> --token …` then measures exactly
 *   what the local eval measures.
 * - `--via api`: uploads the 55 images through the API (POST /items/uploads, presigned POST)
 *   as a signed-in user; the deployed pipeline analyses them with the configured vision model.
 *   Needs no database access, but the analyses are the model's, not the golden ones, and items
 *   get new ids (a golden id → item id map is written to reports/).
 */
export function dbSeedGoldenCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand(
    'db-seed-golden',
    'Import the golden set into a deployed environment (importer over a DB tunnel, or uploads through the API)',
  )
    .option(
      '--via <route>',
      'importer (keeps golden analyses and ids; needs --database-url) | api (uploads; the pipeline analyses)',
      'importer',
    )
    .option('--golden <file>', 'golden analyses.json (default $COLLECTIONS_SHARED_DIR or ../shared, data/golden/analyses.json)')
    .option('--images <dir>', 'its images (default: images/ beside it)')
    .option('--database-url <url>', 'importer: Postgres URL reaching the RDS instance (default: $DATABASE_URL)')
    .option('--user <sub>', 'importer: owner of the items (a Cognito sub)')
    .option('--email <address>', 'owner by email: importer looks up the sub; api signs in (password read from stdin)')
    .option('--token <jwt>', 'api: an id token of the owner instead of --email')
    .option('--wait', 'api: wait until every upload is processed (ready or failed)')
    .action(
      opsAction<SeedOptions>(rt, exit, async (ctx, opts) => {
        if (opts.via !== 'importer' && opts.via !== 'api') throw new OpsError(`--via must be importer or api (got "${opts.via}")`);
        const defaults = defaultGolden(ctx.root, ctx.vars);
        const golden = path.resolve(ctx.root, opts.golden ?? defaults.analyses);
        const images = path.resolve(ctx.root, opts.images ?? (opts.golden ? path.join(path.dirname(golden), 'images') : defaults.images));
        await access(golden).catch(() => {
          throw new OpsError(`Golden set not found: ${golden} (pass --golden, or set COLLECTIONS_SHARED_DIR)`);
        });
        const outputs = await readOutputsFile(ctx.root, ctx.env);
        const { region } = await requireCredentials({ ...ctx, region: ctx.region ?? outputs.region });
        const here = { ...ctx, region };
        return opts.via === 'importer' ? viaImporter(here, opts, outputs, golden, images) : viaApi(here, opts, outputs, golden, images);
      }),
    );
}

async function userSub(ctx: OpsContext, outputs: OutputsFile, email: string): Promise<string> {
  const poolId = outputs.outputs[OUTPUT_KEYS.userPoolId];
  if (!poolId) throw new OpsError(`No ${OUTPUT_KEYS.userPoolId} in the outputs: pass --user <sub>.`);
  const cognito = new CognitoIdentityProviderClient(clientConfig(ctx));
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub) throw new OpsError(`${email} has no sub attribute`);
    return sub;
  } finally {
    cognito.destroy();
  }
}

async function viaImporter(ctx: OpsContext, opts: SeedOptions, outputs: OutputsFile, golden: string, images: string): Promise<number> {
  const databaseUrl = opts.databaseUrl ?? ctx.vars.DATABASE_URL;
  if (!databaseUrl) {
    throw new OpsError(
      [
        'The importer writes to the database directly, and RDS is in private subnets: open a tunnel and pass',
        '--database-url postgres://USER:PASSWORD@localhost:LOCAL_PORT/collections?sslmode=no-verify (docs/deploy.md, "Seeding the golden set"),',
        'or use --via api to upload the images through the API instead (the deployed pipeline analyses them).',
      ].join('\n'),
    );
  }
  const bucket = outputs.outputs[OUTPUT_KEYS.bucket];
  if (!bucket) throw new OpsError(`No ${OUTPUT_KEYS.bucket} in the outputs.`);
  const user = opts.user ?? (opts.email ? await userSub(ctx, outputs, opts.email) : undefined);
  if (!user) throw new OpsError('Name the owner: --user <Cognito sub> or --email <address>.');
  // The environment's API keys, so the importer picks the embedder the functions use.
  const ssm = new SSMClient(clientConfig(ctx));
  const secrets = await readSecrets(ssm, ctx.env).finally(() => ssm.destroy());
  const keys = Object.fromEntries(SECRET_NAMES.filter((n) => secrets.has(n)).map((n) => [n, secrets.get(n)!]));
  line(
    ctx.io.stderr,
    `Importing ${path.relative(ctx.root, golden)} into ${ctx.env} for user ${user} (bucket ${bucket}; keys from Parameter Store: ${Object.keys(keys).join(', ') || 'none'})`,
  );
  const tsx = path.join(ctx.root, 'node_modules', '.bin', 'tsx');
  const argv = [
    path.join(ctx.root, 'src', 'cli', 'main.ts'),
    'import',
    '--format',
    'golden',
    '--source',
    golden,
    '--images',
    images,
    '--user',
    user,
  ];
  return new Promise<number>((resolve, reject) => {
    const child = spawn(tsx, argv, {
      cwd: ctx.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...ctx.vars,
        ...keys,
        DATABASE_URL: databaseUrl,
        OBJECT_STORE: 's3',
        S3_BUCKET: bucket,
        S3_REGION: ctx.region,
        AWS_REGION: ctx.region,
        COLLECTIONS_ENV: ctx.env,
        ...(ctx.profile && { AWS_PROFILE: ctx.profile }),
      },
    });
    child.stdout.on('data', (c: Buffer) => ctx.io.stdout.write(c));
    child.stderr.on('data', (c: Buffer) => ctx.io.stderr.write(c));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const MIME: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };

async function viaApi(ctx: OpsContext, opts: SeedOptions, outputs: OutputsFile, golden: string, images: string): Promise<number> {
  const apiUrl = outputs.outputs[OUTPUT_KEYS.apiUrl];
  if (!apiUrl) throw new OpsError(`No ${OUTPUT_KEYS.apiUrl} in the outputs.`);
  let token = opts.token;
  if (!token) {
    if (!opts.email) throw new OpsError('--via api needs the owner: --email (password read from stdin) or --token <id token>.');
    const poolId = outputs.outputs[OUTPUT_KEYS.userPoolId];
    const clientId = outputs.outputs[OUTPUT_KEYS.userPoolClientId];
    if (!poolId || !clientId) throw new OpsError(`No ${OUTPUT_KEYS.userPoolId} / ${OUTPUT_KEYS.userPoolClientId} in the outputs.`);
    const password = await ask(ctx.io, `Password of ${opts.email}: `);
    if (!password) throw new OpsError('No password given.');
    const cognito = new CognitoIdentityProviderClient(clientConfig(ctx));
    try {
      token = (await signIn(cognito, poolId, clientId, await passwordFlow(cognito, poolId, clientId), opts.email, password)).idToken;
    } finally {
      cognito.destroy();
    }
  }
  const { readGolden } = await import('../../../src/adapters/import-sources/golden.js');
  const source = await readGolden(golden);
  // Items already uploaded by an earlier run (same file name) are skipped: a rerun resumes.
  const existing = new Set<string>();
  for (let offset = 0; ; offset += 100) {
    const page = await apiCall<{ items?: { original_filename: string }[]; total?: number }>(
      apiUrl,
      'GET',
      `/items?limit=100&offset=${offset}`,
      { token },
    );
    if (page.status !== 200) throw new OpsError(`GET /items → ${page.status}: ${JSON.stringify(page.body).slice(0, 200)}`);
    for (const i of page.body.items ?? []) existing.add(i.original_filename);
    if (!page.body.items?.length || offset + 100 >= (page.body.total ?? 0)) break;
  }
  const mapping: Record<string, string> = {};
  const failed: string[] = [];
  let skipped = 0;
  const queue = [...source.items];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      let file: string | undefined;
      for (const name of item.image_names) {
        const candidate = path.join(images, name);
        if (
          await access(candidate).then(
            () => true,
            () => false,
          )
        ) {
          file = candidate;
          break;
        }
      }
      const ext = file ? path.extname(file).toLowerCase() : '';
      const filename = file ? `${item.source_id}${ext}` : '';
      if (!file || !MIME[ext]) {
        failed.push(`${item.source_id}: no image in ${images}`);
        continue;
      }
      if (existing.has(filename)) {
        skipped++;
        continue;
      }
      const bytes = await readFile(file);
      const ticket = await apiCall<{ item?: { id: string }; upload?: { url: string; fields: Record<string, string> } }>(
        apiUrl,
        'POST',
        '/items/uploads',
        {
          token,
          json: { filename, content_type: MIME[ext], size: bytes.length },
        },
      );
      if (ticket.status !== 201 || !ticket.body.item || !ticket.body.upload) {
        failed.push(`${item.source_id}: POST /items/uploads → ${ticket.status}`);
        continue;
      }
      const posted = await postToPresignedForm(ticket.body.upload, { bytes, filename, contentType: MIME[ext]! });
      if (posted.status >= 300) {
        failed.push(`${item.source_id}: S3 POST → ${posted.status}`);
        continue;
      }
      mapping[item.source_id] = ticket.body.item.id;
      line(ctx.io.stderr, `  ${item.source_id} → ${ticket.body.item.id}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const reportDir = path.join(ctx.root, 'reports');
  await mkdir(reportDir, { recursive: true });
  const mapFile = path.join(reportDir, `golden-seed-${ctx.env}-${fileTimestamp()}.json`);
  await writeFile(mapFile, `${JSON.stringify({ env: ctx.env, golden, uploaded: mapping, failed }, null, 2)}\n`);
  line(
    ctx.io.stderr,
    `${Object.keys(mapping).length} uploaded, ${skipped} already there, ${failed.length} failed; golden id → item id: ${path.relative(ctx.root, mapFile)}`,
  );
  for (const f of failed) line(ctx.io.stderr, `  failed ${f}`);
  if (opts.wait && Object.keys(mapping).length) {
    const pending = new Set(Object.values(mapping));
    const deadline = Date.now() + 15 * 60_000;
    const states = new Map<string, string>();
    while (pending.size && Date.now() < deadline) {
      for (const id of [...pending]) {
        const res = await apiCall<{ status: string }>(apiUrl, 'GET', `/items/${id}`, { token });
        if (res.status === 200 && (res.body.status === 'ready' || res.body.status === 'failed')) {
          pending.delete(id);
          states.set(id, res.body.status);
        }
      }
      if (pending.size) await new Promise((r) => setTimeout(r, 3000));
    }
    const notReady = [...states.values()].filter((s) => s === 'failed').length;
    line(
      ctx.io.stderr,
      `processed: ${[...states.values()].filter((s) => s === 'ready').length} ready, ${notReady} failed, ${pending.size} still running`,
    );
    if (notReady || pending.size) return 1;
  }
  return failed.length ? 1 : 0;
}
