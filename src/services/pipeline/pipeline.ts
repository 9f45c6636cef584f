import type { PipelineStep } from '../../domain/item.js';
import type { PipelineEvent } from '../../ports/event-bus.js';
import { ItemsRepository } from '../../repositories/items.js';
import { AnalysesRepository } from '../../repositories/analyses.js';
import { log } from '../../shared/logger.js';
import { ItemGoneError } from '../../domain/errors.js';
import { failureReason, withRetries, type RetryPolicy } from './retry.js';
import { analyzeStep, embedStep, processImageStep, type ItemRef, type StepDeps } from './steps.js';

/**
 * Wires the steps to the bus: ImageUploaded → processImage → ImageProcessed → analyze →
 * AnalysisComplete → embed → ItemIndexed. A step that keeps failing marks the item `failed`
 * with the reason and the step, from where `retry` resumes.
 */
export function startPipeline(deps: StepDeps, retry: RetryPolicy) {
  const items = new ItemsRepository(deps.db);

  async function runStep(step: PipelineStep, ref: ItemRef, work: () => Promise<unknown>) {
    const started = Date.now();
    let attempts = 0;
    try {
      await withRetries(
        retry,
        async (attempt) => {
          attempts = attempt;
          await work();
        },
        (attempt, err, delayMs) =>
          log.warn('pipeline step failed, retrying', { step, item_id: ref.item_id, attempt, delayMs, error: String(err) }),
      );
      log.debug('pipeline step done', { step, item_id: ref.item_id, ms: Date.now() - started });
    } catch (err) {
      if (err instanceof ItemGoneError) {
        log.info('pipeline stopped: the item was deleted', { step, item_id: ref.item_id });
        return;
      }
      const reason = failureReason(err, attempts);
      log.warn('pipeline step failed', { step, item_id: ref.item_id, error: reason });
      await items.markFailed(ref.user_id, ref.item_id, step, reason);
    }
  }

  deps.bus.subscribe('ImageUploaded', (d) => runStep('process_image', d, () => processImageStep(deps, d)));
  deps.bus.subscribe('ImageProcessed', (d) => runStep('analyze', d, () => analyzeStep(deps, d)));
  deps.bus.subscribe('AnalysisComplete', (d) => runStep('embed', d, () => embedStep(deps, d)));
}

/** The event that resumes an item at `step`. */
async function eventFor(
  deps: StepDeps,
  ref: ItemRef & { original_key: string; thumbnail_key: string | null },
  step: PipelineStep,
): Promise<PipelineEvent | null> {
  const base = { item_id: ref.item_id, user_id: ref.user_id };
  if (step === 'process_image' || !ref.thumbnail_key) {
    return { type: 'ImageUploaded', detail: { ...base, original_key: ref.original_key } };
  }
  if (step === 'analyze') {
    return { type: 'ImageProcessed', detail: { ...base, original_key: ref.original_key, thumbnail_key: ref.thumbnail_key } };
  }
  const latest = await new AnalysesRepository(deps.db).latest(ref.user_id, ref.item_id);
  if (!latest) return { type: 'ImageProcessed', detail: { ...base, original_key: ref.original_key, thumbnail_key: ref.thumbnail_key } };
  return { type: 'AnalysisComplete', detail: { ...base, analysis_id: latest.id } };
}

/**
 * After a crash or restart: every item still `uploaded`, `processing` or `analyzed` is sent
 * back into the pipeline at the step its state shows it needs.
 */
export async function resumeUnfinished(deps: StepDeps): Promise<number> {
  const unfinished = await new ItemsRepository(deps.db).listUnfinished();
  for (const item of unfinished) {
    const step: PipelineStep = item.status === 'analyzed' ? 'embed' : item.status === 'processing' ? 'analyze' : 'process_image';
    const event = await eventFor(
      deps,
      { item_id: item.id, user_id: item.user_id, original_key: item.original_key, thumbnail_key: item.thumbnail_key },
      step,
    );
    if (event) await deps.bus.publish(event);
  }
  if (unfinished.length) log.info('resumed unfinished items', { count: unfinished.length });
  return unfinished.length;
}

/** `POST /items/{id}/retry`: put a failed item back at the step that failed. */
export async function retryFailed(deps: StepDeps, ref: ItemRef): Promise<void> {
  const items = new ItemsRepository(deps.db);
  const item = await items.get(ref.user_id, ref.item_id);
  if (item?.status !== 'failed') return;
  const step = item.failed_step ?? 'process_image';
  const event = await eventFor(deps, { ...ref, original_key: item.original_key, thumbnail_key: item.thumbnail_key }, step);
  const statusBefore = event?.type === 'ImageUploaded' ? 'uploaded' : event?.type === 'ImageProcessed' ? 'processing' : 'analyzed';
  await items.setStatus(ref.user_id, ref.item_id, statusBefore);
  if (event) await deps.bus.publish(event);
}
