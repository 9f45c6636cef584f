/**
 * Pipeline events (DESIGN.md §2). On AWS they are EventBridge events with these detail types and
 * sources (the stack's rules match them: contracts/aws.ts EVENT_PATTERNS); locally an
 * in-process bus delivers them to the same step handlers.
 */
export interface PipelineEvents {
  ImageUploaded: { item_id: string; user_id: string; original_key: string };
  ImageProcessed: { item_id: string; user_id: string; original_key: string; thumbnail_key: string };
  AnalysisComplete: { item_id: string; analysis_id: string; user_id: string };
  ItemIndexed: { item_id: string; user_id: string };
}
export type PipelineEventType = keyof PipelineEvents;
export type PipelineEvent = {
  [K in PipelineEventType]: { type: K; detail: PipelineEvents[K] };
}[PipelineEventType];

export const EVENT_SOURCES: Record<PipelineEventType, string> = {
  ImageUploaded: 'collections.api',
  ImageProcessed: 'collections.imageprocessor',
  AnalysisComplete: 'collections.analyzer',
  ItemIndexed: 'collections.embedder',
};
