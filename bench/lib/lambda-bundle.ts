import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

/**
 * Bundling a Lambda entry the way the stack does (infra/lib/functions.ts): its own
 * `esbuildOptions()`, `RUNTIME_FILES` and `NATIVE_MODULES` are imported, never copied, so the
 * benchmark measures what `cdk deploy` uploads.
 */
export interface InfraBundling {
  esbuildOptions(): {
    format: string;
    target: string;
    mainFields?: string[];
    minify?: boolean;
    sourceMap?: boolean;
    sourcesContent?: boolean;
    banner?: string;
    bundleAwsSDK?: boolean;
    externalModules?: string[];
  };
  RUNTIME_FILES: readonly { marker: string; from: string; to: string }[];
  NATIVE_MODULES: readonly string[];
}

export async function loadInfraBundling(repoRoot: string): Promise<InfraBundling> {
  const file = path.join(repoRoot, 'infra', 'lib', 'functions.ts');
  if (!existsSync(file)) throw new Error(`${file} not found: the bench mirrors the stack's bundling and needs infra/`);
  // A variable specifier: the CDK app is not part of this project's type check.
  const specifier: string = new URL(`file://${file}`).href;
  return (await import(specifier)) as InfraBundling;
}

/** NodejsFunction's options (CDK names) → esbuild's, as the CDK passes them to esbuild. */
export function esbuildFromCdk(cdk: ReturnType<InfraBundling['esbuildOptions']>): BuildOptions {
  // The CDK's default externals are ['@aws-sdk/*'] (the runtime's SDK); externalModules replaces
  // them, and bundleAwsSDK takes the SDK out of the externals.
  const external = (cdk.externalModules ?? ['@aws-sdk/*']).filter((m) => !(cdk.bundleAwsSDK && m.startsWith('@aws-sdk/')));
  return {
    bundle: true,
    platform: 'node',
    format: cdk.format === 'esm' ? 'esm' : 'cjs',
    target: cdk.target,
    ...(cdk.mainFields && { mainFields: cdk.mainFields }),
    minify: !!cdk.minify,
    sourcemap: cdk.sourceMap ? true : false,
    sourcesContent: cdk.sourcesContent ?? true,
    ...(cdk.banner && { banner: { js: cdk.banner } }),
    external,
    logLevel: 'error',
  };
}

export interface BundleResult {
  dir: string;
  file: string;
  bytes: number;
  mapBytes: number;
  runtimeFiles: string[];
  natives: string[];
  externals: string[];
  /** Bytes of the bundle by package (or `src` for this project's code), largest first. */
  byPackage: [string, number][];
}

/** `node_modules/@scope/name/…` → `@scope/name`; this project's files → `src`. */
function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? m[1]! : input.startsWith('src/') ? 'src' : input;
}

/**
 * Bundles `entry` into `dir/index.mjs` and lays out what the stack's afterBundling hook adds:
 * runtime files the code reads (when the bundle contains their marker) and the native modules
 * it imports (symlinked from the project's node_modules: the host's build, not linux-arm64).
 */
export async function bundleEntry(repoRoot: string, entry: string, dir: string, infra: InfraBundling, extraBanner = ''): Promise<BundleResult> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'index.mjs');
  const options = esbuildFromCdk(infra.esbuildOptions());
  if (extraBanner) options.banner = { js: `${options.banner?.js ?? ''} ${extraBanner}`.trim() };
  const result = await build({ ...options, entryPoints: [path.join(repoRoot, entry)], outfile: file, metafile: true, absWorkingDir: repoRoot });
  const code = await readFile(file, 'utf8');
  const runtimeFiles: string[] = [];
  for (const { marker, from, to } of infra.RUNTIME_FILES) {
    if (code.includes(marker)) {
      await cp(path.join(repoRoot, from), path.join(dir, to), { recursive: true });
      runtimeFiles.push(to);
    }
  }
  const natives = infra.NATIVE_MODULES.filter((m) => new RegExp(`(from|import\\(|require\\()"${m}"`).test(code));
  if (natives.length) {
    await mkdir(path.join(dir, 'node_modules'), { recursive: true });
    for (const m of natives) await symlink(path.join(repoRoot, 'node_modules', m), path.join(dir, 'node_modules', m), 'dir');
  }
  const externals = Object.values(result.metafile!.outputs)
    .flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path))
    .filter((p, i, all) => !p.startsWith('node:') && all.indexOf(p) === i);
  const sizes = new Map<string, number>();
  for (const out of Object.values(result.metafile!.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const key = packageOf(input);
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return {
    byPackage: [...sizes].sort((a, b) => b[1] - a[1]),
    dir,
    file,
    bytes: (await stat(file)).size,
    mapBytes: existsSync(`${file}.map`) ? (await stat(`${file}.map`)).size : 0,
    runtimeFiles,
    natives,
    externals,
  };
}
