import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';

/**
 * How a Lambda's code is built: one function used by the stack (`cdk synth`, through
 * `Code.fromAsset` with local bundling, see functions.ts) and by `npm run bench:lambda`, so the
 * benchmark measures what is deployed.
 *
 * Why not NodejsFunction: it writes one `index.mjs` (esbuild `--outfile`) and cannot split code.
 * Splitting is what keeps cold starts short: the app imports provider SDKs, LangChain, PGlite,
 * the OCR engines and the HEIC decoder with `import()` where it needs them, and with `splitting`
 * those become chunks that are read only when a request needs them. Without it every byte is
 * parsed at init (7.7 MB and 1.3 s for the API before this change).
 *
 * - ESM for node22, minified with `keepNames`: stack traces in the logs keep function and class
 *   names. No source maps: `--enable-source-maps` made Node parse the map at init (over a
 *   second for the API), and a map nobody loads is dead weight in the zip.
 * - The banner gives ESM a `require`, `__filename` and `__dirname`: CommonJS dependencies inside
 *   the bundle use them for Node built-ins and for files beside themselves.
 * - The AWS SDK is bundled: the versions pinned in package-lock.json run, not the runtime's.
 * - `sharp` cannot be bundled (a native addon): any output that imports it gets the linux-arm64
 *   build (infra/native, `npm ci --prefix infra/native`) copied to `node_modules/` beside it.
 * - Files the code reads at run time relative to itself are copied beside each output that
 *   contains their marker (`RUNTIME_FILES`).
 */

/**
 * An environment variable naming a node_modules directory to copy sharp from instead of
 * infra/native's linux-arm64 build: the artifact tests synthesize with this machine's build so
 * they can run the assets here (a linux-arm64 sharp does not load on x64). Never set it for a
 * deployment.
 */
export const NATIVE_MODULES_OVERRIDE = 'COLLECTIONS_LAMBDA_NATIVE_MODULES';

/** Native addons kept out of the bundle and shipped as node_modules instead. */
export const NATIVE_MODULES = ['sharp'] as const;

/**
 * Packages left out of every function: they load WebAssembly, native libraries, data or worker
 * files from their own package directory, so they cannot run from a bundle, and the Lambdas never choose them
 * (the database is RDS through node-postgres; OCR-only vision is the laptop's offline fallback,
 * AWS uses a hosted vision model). The app imports them lazily, so only a misconfigured function
 * reaches the import, and then fails with "Cannot find package".
 */
export const LEFT_OUT = ['@electric-sql/pglite', 'tesseract.js', 'onnxruntime-node'] as const;

export interface RuntimeFiles {
  /** A string that appears in the built code exactly when it reads these files. */
  readonly marker: string;
  /** Repository-relative source: a directory, or a file. */
  readonly from: string;
  /** Only these names inside `from` (a directory); all of it when absent. */
  readonly only?: readonly string[];
  /** Destination relative to the output that reads them (index.mjs or a chunk). */
  readonly to: string;
}

export const RUNTIME_FILES: readonly RuntimeFiles[] = [
  /** src/adapters/database/migrate.ts reads ./migrations/*.sql; its SQL names this table. */
  { marker: 'schema_migrations', from: 'src/adapters/database/migrations', to: 'migrations' },
  /** The offline embedder's word vectors (used when no embedding provider key is configured). */
  { marker: 'word-vectors.bin', from: 'src/adapters/embedder/word-vectors.bin', to: 'word-vectors.bin' },
  /** /docs serves Swagger UI's files from ./swagger-ui (src/api/docs.ts): 1.8 MB not parsed as code. */
  {
    marker: 'swagger-ui-standalone-preset.js',
    from: 'node_modules/swagger-ui-dist',
    only: ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'],
    to: 'swagger-ui',
  },
];

export const ESM_REQUIRE_BANNER =
  "import { createRequire as __collectionsCreateRequire } from 'node:module'; import { fileURLToPath as __collectionsFileURLToPath } from 'node:url'; " +
  'const require = __collectionsCreateRequire(import.meta.url); const __filename = __collectionsFileURLToPath(import.meta.url); ' +
  "const __dirname = __collectionsFileURLToPath(new URL('.', import.meta.url));";

export const ESBUILD_TARGET = 'node22';

export function esbuildOptions(repoRoot: string, entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: { index: path.join(repoRoot, entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: ESBUILD_TARGET,
    // Prefer packages' ESM builds (smaller, tree-shakeable).
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    legalComments: 'none',
    banner: { js: ESM_REQUIRE_BANNER },
    external: [...NATIVE_MODULES, ...LEFT_OUT],
    metafile: true,
    logLevel: 'error',
  };
}

export interface NativeModulesSource {
  /** A node_modules directory holding NATIVE_MODULES (infra/native's linux-arm64 build for AWS). */
  readonly dir: string;
  /** Symlink instead of copying (the benchmark links the host's build). */
  readonly link?: boolean;
}

export interface BundleReport {
  outdir: string;
  /** Bytes of every emitted .mjs file. */
  totalBytes: number;
  /** Bytes of index.mjs and the chunks it imports statically: what Node parses at init. */
  initBytes: number;
  files: number;
  runtimeFiles: string[];
  natives: string[];
  /** Bytes of the init closure by package (`src` for this project's code), largest first. */
  initByPackage: [string, number][];
}

/**
 * Bundles `entry` (repository-relative) into `outdir`, which is emptied first, and lays out the
 * runtime files and native modules the output needs.
 */
export function bundleFunction(repoRoot: string, entry: string, outdir: string, natives: NativeModulesSource): BundleReport {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = buildSync(esbuildOptions(repoRoot, entry, outdir));
  const outputs = result.metafile!.outputs;
  const built = Object.keys(outputs)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => ({ dir: path.dirname(path.resolve(repoRoot, f)), text: readFileSync(path.resolve(repoRoot, f), 'utf8') }));
  const code = built.map((b) => b.text);

  // Code reads these files relative to itself, so they go beside every output that reads them:
  // index.mjs, or a chunk (word-vectors.bin is read from a chunk shared by the embedder and OCR).
  const runtimeFiles: string[] = [];
  for (const files of RUNTIME_FILES) {
    const dirs = [...new Set(built.filter((b) => b.text.includes(files.marker)).map((b) => b.dir))].sort();
    for (const dir of dirs) {
      copyRuntimeFiles(repoRoot, files, dir);
      runtimeFiles.push(path.relative(outdir, path.join(dir, files.to)));
    }
  }

  const usedNatives = NATIVE_MODULES.filter((m) => code.some((c) => new RegExp(`(from|import\\(|require\\()\\s*"${m}"`).test(c)));
  if (usedNatives.length) {
    mkdirSync(path.join(outdir, 'node_modules'), { recursive: true });
    for (const m of usedNatives) {
      const source = path.join(natives.dir, m);
      if (!existsSync(source)) {
        throw new Error(`${m} for linux-arm64 is missing (${source}): run \`npm ci --prefix infra/native\` once`);
      }
      if (natives.link) symlinkSync(source, path.join(outdir, 'node_modules', m), 'dir');
      // The native build's own dependencies (@img/sharp-linux-arm64, …) sit beside it.
      else cpSync(natives.dir, path.join(outdir, 'node_modules'), { recursive: true, dereference: true });
    }
  }

  const init = initClosure(outputs, repoRoot, outdir);
  return {
    outdir,
    totalBytes: Object.entries(outputs).reduce((sum, [f, o]) => sum + (f.endsWith('.mjs') ? o.bytes : 0), 0),
    initBytes: [...init].reduce((sum, f) => sum + outputs[f]!.bytes, 0),
    files: Object.keys(outputs).length,
    runtimeFiles,
    natives: usedNatives,
    initByPackage: byPackage(outputs, init),
  };
}

function copyRuntimeFiles(repoRoot: string, files: RuntimeFiles, dir: string) {
  const from = path.join(repoRoot, files.from);
  const to = path.join(dir, files.to);
  if (!files.only) {
    cpSync(from, to, { recursive: true });
    return;
  }
  mkdirSync(to, { recursive: true });
  for (const name of files.only) cpSync(path.join(from, name), path.join(to, name));
}

/** index.mjs and every chunk reachable from it through static imports. */
function initClosure(outputs: Metafile['outputs'], repoRoot: string, outdir: string): Set<string> {
  const index = Object.keys(outputs).find((f) => path.resolve(repoRoot, f) === path.join(outdir, 'index.mjs'));
  const seen = new Set<string>();
  const stack = index ? [index] : [];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of outputs[file]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) stack.push(i.path);
  }
  return seen;
}

/** `node_modules/@scope/name/…` → `@scope/name`; this project's files → `src`. */
function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? m[1]! : input.startsWith('src/') ? 'src' : input;
}

function byPackage(outputs: Metafile['outputs'], files: Set<string>): [string, number][] {
  const sizes = new Map<string, number>();
  for (const f of files) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[f]!.inputs)) {
      sizes.set(packageOf(input), (sizes.get(packageOf(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

/** Total bytes of a directory tree (what the zip holds before compression). */
export function directoryBytes(dir: string): number {
  // statSync follows symlinks (the benchmark's linked sharp is counted at its real size).
  const st = statSync(dir);
  if (!st.isDirectory()) return st.size;
  let sum = 0;
  for (const name of readdirSync(dir)) sum += directoryBytes(path.join(dir, name));
  return sum;
}
