import type { PipelineStep } from '../../domain/item.js';
import { ItemGoneError, errorMessage } from '../../domain/errors.js';
import { ItemsRepository } from '../../repositories/items.js';
import { StepClaimsRepository } from '../../repositories/step-claims.js';
import { failureReason, isPermanent } from '../../services/pipeline/retry.js';
import type { ItemRef, StepDeps } from '../../services/pipeline/steps.js';
import { handOffBus } from './hand-off-bus.js';
import { failedAttempts, recordFailedAttempt, resetAttempts } from '../../repositories/step-attempts.js';
import { logger, metrics, MetricUnit } from './observability.js';

export interface StepRun {
  step: PipelineStep;
  ref: ItemRef;
  /** The step itself (src/services/pipeline/steps.ts), given deps whose bus is this invocation's. */
  work(deps: StepDeps): Promise<unknown>;
  /**
   * Publishes the step's event again if the item's state shows the work done but the next step
   * not started: an earlier try crashed between its last write and its publish, and the steps,
   * being idempotent, do nothing the second time, so nothing else would announce it.
   */
  reannounce(deps: StepDeps): Promise<void>;
}

/**
 * - done: the step ran (or found its work already done);
 * - failed: the item is failed with the reason;
 * - duplicate: another invocation holds the step right now (at-least-once delivery gave the
 *   same step twice), so this one does nothing: the holder finishes it, or its own retries do;
 * - gone: the item was deleted meanwhile.
 */
export type StepOutcome = 'done' | 'failed' | 'duplicate' | 'gone';

/** The invocation running the step: Lambda's request id (kept across Lambda's own retries) and its time left. */
export interface Invocation {
  requestId: string;
  remainingMs: number;
}

export function invocationOf(context: { awsRequestId: string; getRemainingTimeInMillis(): number }): Invocation {
  return { requestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() };
}

/** A claim outlives its invocation by this much: the function's timeout ends the holder before its claim lapses. */
const CLAIM_MARGIN_MS = 10_000;

/**
 * Runs one pipeline step in a Lambda, with Lambda's retries in place of `withRetries`. First it
 * claims the step for this invocation (src/repositories/step-claims.ts), so that two deliveries
 * of the same event at once do the work once; then:
 * - success → 'done';
 * - PermanentError (or `retryable: false`) → the item is `failed` with the reason at once and the
 *   invocation succeeds: retrying cannot help, so neither Lambda's retries nor the DLQ get it;
 * - any other error → one more failed attempt is counted on the item (src/repositories/step-attempts.ts)
 *   and the error propagates, so Lambda retries the event; on the last of `maxAttempts`
 *   (PIPELINE_MAX_ATTEMPTS, which the stack's async retry setting must match: retries =
 *   maxAttempts − 1) the item is first marked `failed` with the reason, "(after N attempts)",
 *   and the event then lands in the DLQ for an operator.
 * Marking an item failed zeroes its count, so `POST /items/{id}/retry` or a DLQ redrive starts
 * with all its attempts again.
 */
export async function runStep(
  steps: StepDeps,
  policy: { maxAttempts: number },
  run: StepRun,
  invocation: Invocation,
): Promise<StepOutcome> {
  const { step, ref } = run;
  const claims = new StepClaimsRepository(steps.db);
  const claim = { ...ref, step };
  const claimed = await claims.claim(claim, invocation.requestId, invocation.remainingMs + CLAIM_MARGIN_MS);
  if (!claimed.claimed) {
    if (claimed.reason === 'gone') {
      logger.info('pipeline step skipped: the item no longer exists', { step, item_id: ref.item_id });
      return 'gone';
    }
    logger.info('pipeline step already running in another invocation (duplicate delivery); nothing to do', {
      step,
      item_id: ref.item_id,
      holder: claimed.holder,
    });
    metrics.addMetric('DuplicateDeliveries', MetricUnit.Count, 1);
    return 'duplicate';
  }
  try {
    return await runClaimedStep(steps, policy, run);
  } finally {
    // Best effort: a claim left behind lapses at its expiry, or is retaken by Lambda's retry.
    await claims
      .release(claim, invocation.requestId)
      .catch((err: unknown) => logger.warn('could not release the step claim', { step, item_id: ref.item_id, error: errorMessage(err) }));
  }
}

async function runClaimedStep(steps: StepDeps, policy: { maxAttempts: number }, run: StepRun): Promise<StepOutcome> {
  const { step, ref } = run;
  const earlierFailures = await failedAttempts(steps.db, ref);
  const bus = handOffBus(steps.bus, steps.db, ref);
  const deps: StepDeps = { ...steps, bus };
  try {
    await run.work(deps);
    if (earlierFailures > 0 && bus.published.length === 0) await run.reannounce(deps);
    return 'done';
  } catch (err) {
    const items = new ItemsRepository(steps.db);
    const fields = { step, item_id: ref.item_id, error: errorMessage(err) };
    if (err instanceof ItemGoneError) {
      // Deleted mid-step: the step cleaned up after itself; nothing to mark, nothing to retry.
      await resetAttempts(steps.db, ref);
      logger.info('pipeline step stopped: the item was deleted', fields);
      return 'gone';
    }
    if (isPermanent(err)) {
      await items.markFailed(ref.user_id, ref.item_id, step, failureReason(err, 1));
      await resetAttempts(steps.db, ref);
      logger.error('pipeline step failed permanently; item failed', fields);
      metrics.addMetric('ItemsFailed', MetricUnit.Count, 1);
      return 'failed';
    }
    try {
      const attempt = (await recordFailedAttempt(steps.db, ref)) ?? 0;
      if (attempt >= policy.maxAttempts) {
        await items.markFailed(ref.user_id, ref.item_id, step, failureReason(err, attempt));
        await resetAttempts(steps.db, ref);
        logger.error('pipeline step failed on its last attempt; item failed, event to the DLQ', { ...fields, attempt });
        metrics.addMetric('ItemsFailed', MetricUnit.Count, 1);
      } else {
        logger.warn('pipeline step failed; Lambda retries the event', { ...fields, attempt, max_attempts: policy.maxAttempts });
        metrics.addMetric('StepRetries', MetricUnit.Count, 1);
      }
    } catch (bookkeeping) {
      // The database may be what failed: the step's own error is the one Lambda must see.
      logger.error('could not record the failed attempt', { ...fields, bookkeeping_error: errorMessage(bookkeeping) });
    }
    throw err;
  }
}
