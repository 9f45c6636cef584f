import { createEmbedder } from '../../adapters/embedder/index.js';
import { buildRuntime, coldStart } from '../runtime/runtime.js';
import { instrument } from '../runtime/observability.js';
import { parseEvent, pipelineEventSchema } from '../runtime/events.js';
import { embedRun } from '../runtime/pipeline-steps.js';
import { invocationOf, runStep, type StepOutcome } from '../runtime/step-runner.js';
import { stepDeps } from '../runtime/step-deps.js';

const AnalysisCompleteSchema = pipelineEventSchema('AnalysisComplete');

const runtime = coldStart(() =>
  buildRuntime('embedder', ({ config, db }) => {
    // The same embedder (provider and model) as the api function's searches: both read the
    // same configuration and the same Parameter Store keys.
    const steps = stepDeps(config, db, { embedder: createEmbedder(config.embedding) });
    return { steps, close: () => steps.close() };
  }),
);

/** AnalysisComplete (rule EVENT_PATTERNS.embedder) → search row and embedding → ready → ItemIndexed. */
export const handler = instrument('embedder', async (event: unknown, context): Promise<{ outcome: StepOutcome; item_id: string }> => {
  const { detail } = parseEvent(AnalysisCompleteSchema, event, 'an AnalysisComplete event');
  const { steps, config } = await runtime();
  const ref = { item_id: detail.item_id, user_id: detail.user_id };
  return { outcome: await runStep(steps, config.pipeline, embedRun(ref), invocationOf(context)), item_id: ref.item_id };
});
