import { synthesizeEnvironment } from '../lib/synth.js';
import { opsAction, opsCommand, type CommonOptions, type Runtime } from '../lib/program.js';

interface SynthOptions extends CommonOptions {
  out: string;
}

/**
 * `ops synth --env X --out DIR`: the cloud assembly a deploy would upload (templates and the
 * bundled assets), with no AWS account needed. Works right after `npm ci`: it installs the
 * linux-arm64 sharp and builds the web app itself when they are missing or stale.
 */
export function synthCommand(rt: Runtime, exit: { code: number }) {
  return opsCommand('synth', 'Synthesize the environment (templates + bundled functions) into a directory; no AWS account needed')
    .option('-o, --out <dir>', 'output directory (the cloud assembly)', 'cdk.out')
    .argument('[cdk-args...]', 'more arguments for cdk synth (after --)')
    .action(opsAction<SynthOptions>(rt, exit, (ctx, opts, args) => synthesizeEnvironment(ctx, opts.out, args)));
}
