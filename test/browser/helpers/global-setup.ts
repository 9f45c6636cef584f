import { ensureWebBuilt } from '../../../web/scripts/ensure-built.js';

/**
 * vitest globalSetup: builds the web app once before any test file runs, when web/dist is
 * missing (a fresh clone) or older than web/src. Up to date, it only compares file times.
 */
export default async function setup() {
  const { built, ms } = await ensureWebBuilt({ quiet: true });
  if (built) process.stdout.write(`built the web app (web/dist) in ${ms} ms\n`);
}
