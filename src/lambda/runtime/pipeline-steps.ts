import { ItemsRepository } from '../../repositories/items.js';
import { AnalysesRepository } from '../../repositories/analyses.js';
import type { Item } from '../../domain/item.js';
import { analyzeStep, embedStep, processImageStep, type ItemRef } from '../../services/pipeline/steps.js';
import type { StepRun } from './step-runner.js';
import { settleDirectUpload } from './uploaded-object.js';

/** The three steps as the handlers run them: the local pipeline's steps plus their re-announcement. */

export function processImageRun(item: Item, opts: { maxUploadBytes: number; fromStorageEvent: boolean }): StepRun {
  const ref: ItemRef = { item_id: item.id, user_id: item.user_id };
  return {
    step: 'process_image',
    ref,
    async work(deps) {
      // A storage event for an item already past this step (a duplicate, or a late one after
      // the item failed further on) starts nothing; a retry comes as ImageUploaded instead.
      if (opts.fromStorageEvent && item.thumbnail_key && item.status !== 'uploaded') return;
      await settleDirectUpload(deps, item, opts.maxUploadBytes);
      await processImageStep(deps, ref);
    },
    async reannounce(deps) {
      const now = await new ItemsRepository(deps.db).get(ref.user_id, ref.item_id);
      if (now?.thumbnail_key && now.status === 'processing') {
        await deps.bus.publish({
          type: 'ImageProcessed',
          detail: { ...ref, original_key: now.original_key, thumbnail_key: now.thumbnail_key },
        });
      }
    },
  };
}

export function analyzeRun(ref: ItemRef): StepRun {
  return {
    step: 'analyze',
    ref,
    work: (deps) => analyzeStep(deps, ref),
    async reannounce(deps) {
      const now = await new ItemsRepository(deps.db).get(ref.user_id, ref.item_id);
      const latest = now?.status === 'analyzed' ? await new AnalysesRepository(deps.db).latest(ref.user_id, ref.item_id) : null;
      if (latest) await deps.bus.publish({ type: 'AnalysisComplete', detail: { ...ref, analysis_id: latest.id } });
    },
  };
}

export function embedRun(ref: ItemRef): StepRun {
  return {
    step: 'embed',
    ref,
    work: (deps) => embedStep(deps, ref),
    async reannounce(deps) {
      const now = await new ItemsRepository(deps.db).get(ref.user_id, ref.item_id);
      if (now?.status === 'ready') await deps.bus.publish({ type: 'ItemIndexed', detail: ref });
    },
  };
}
