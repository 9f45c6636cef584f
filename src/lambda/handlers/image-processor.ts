import { buildRuntime, coldStart } from '../runtime/runtime.js';
import { stepDeps } from '../runtime/step-deps.js';
import { instrument, logger } from '../runtime/observability.js';
import { S3ObjectCreatedSchema, parseEvent, pipelineEventSchema } from '../runtime/events.js';
import { itemOfObject, itemOfRetry } from '../runtime/image-events.js';
import { processImageRun } from '../runtime/pipeline-steps.js';
import { invocationOf, runStep, type StepOutcome } from '../runtime/step-runner.js';
import { rememberLastRead } from '../runtime/uploaded-object.js';

const ImageUploadedSchema = pipelineEventSchema('ImageUploaded');

/** Database, S3 and EventBridge: processing needs no model (and loads none). */
const runtime = coldStart(() =>
  buildRuntime('image-processor', ({ config, db }) => {
    const steps = stepDeps(config, db);
    return { steps, close: () => steps.close() };
  }),
);

export type ImageProcessorResult = { outcome: StepOutcome; item_id: string } | { outcome: 'ignored'; reason: string };

/**
 * S3 "Object Created" for `{userId}/originals/{itemId}.{ext}` (rule EVENT_PATTERNS.imageProcessor),
 * or ImageUploaded from the API (a retry of a process_image failure): finds the item by its key,
 * settles a direct upload (real hash, duplicates), runs process_image, publishes ImageProcessed.
 */
export const handler = instrument('image-processor', async (event: unknown, context): Promise<ImageProcessorResult> => {
  const fromStorage = (event as { source?: unknown } | null)?.source === 'aws.s3';
  const rt = await runtime();
  const found = fromStorage
    ? await itemOfObject(rt, parseEvent(S3ObjectCreatedSchema, event, 'an S3 Object Created event'))
    : await itemOfRetry(rt, parseEvent(ImageUploadedSchema, event, 'an ImageUploaded event'));
  if ('reason' in found) {
    logger.info('image event ignored', { reason: found.reason });
    return { outcome: 'ignored', reason: found.reason };
  }
  const steps = { ...rt.steps, store: rememberLastRead(rt.steps.store) };
  const run = processImageRun(found.item, { maxUploadBytes: rt.config.limits.maxUploadBytes, fromStorageEvent: fromStorage });
  return { outcome: await runStep(steps, rt.config.pipeline, run, invocationOf(context)), item_id: found.item.id };
});
