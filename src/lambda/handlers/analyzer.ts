import { VisionProviders } from '../../adapters/vision/index.js';
import { buildRuntime, coldStart } from '../runtime/runtime.js';
import { instrument } from '../runtime/observability.js';
import { parseEvent, pipelineEventSchema } from '../runtime/events.js';
import { analyzeRun } from '../runtime/pipeline-steps.js';
import { invocationOf, runStep, type StepOutcome } from '../runtime/step-runner.js';
import { stepDeps } from '../runtime/step-deps.js';

const ImageProcessedSchema = pipelineEventSchema('ImageProcessed');

const runtime = coldStart(() =>
  buildRuntime('analyzer', ({ config, db }) => {
    // One provider (and client) per provider/model pair, reused by every warm invocation.
    const vision = new VisionProviders(config.vision, config.tracing);
    vision.get(); // a provider without its key fails the cold start, not each item
    const steps = stepDeps(config, db, { vision: (override) => vision.get(override) });
    return {
      steps,
      async close() {
        await steps.close();
        await vision.closeAll();
      },
    };
  }),
);

/** ImageProcessed (rule EVENT_PATTERNS.analyzer) → the vision model → AnalysisComplete. */
export const handler = instrument('analyzer', async (event: unknown, context): Promise<{ outcome: StepOutcome; item_id: string }> => {
  const { detail } = parseEvent(ImageProcessedSchema, event, 'an ImageProcessed event');
  const { steps, config } = await runtime();
  const ref = { item_id: detail.item_id, user_id: detail.user_id };
  return { outcome: await runStep(steps, config.pipeline, analyzeRun(ref), invocationOf(context)), item_id: ref.item_id };
});
