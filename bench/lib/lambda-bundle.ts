import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * The stack's own bundler (infra/lib/bundle.ts), loaded from the CDK app so the benchmark builds
 * exactly what `cdk deploy` uploads; nothing about bundling is repeated here.
 */
export interface BundleReport {
  outdir: string;
  totalBytes: number;
  initBytes: number;
  files: number;
  runtimeFiles: string[];
  natives: string[];
  initByPackage: [string, number][];
}

export interface InfraBundling {
  bundleFunction(repoRoot: string, entry: string, outdir: string, natives: { dir: string; link?: boolean }): BundleReport;
  esbuildOptions(repoRoot: string, entry: string, outdir: string): BuildOptions;
  directoryBytes(dir: string): number;
  LEFT_OUT: readonly string[];
}

export async function loadInfraBundling(repoRoot: string): Promise<InfraBundling> {
  const file = path.join(repoRoot, 'infra', 'lib', 'bundle.ts');
  if (!existsSync(file)) throw new Error(`${file} not found: the bench uses the stack's bundler and needs infra/`);
  // A variable specifier: the CDK app is not part of this project's type check.
  const specifier: string = new URL(`file://${file}`).href;
  return (await import(specifier)) as InfraBundling;
}
