import type { AnalysisInput } from '../../src/domain/analysis.js';
import { AnalysisSchema } from '../../src/domain/analysis.js';
import type { VisionInput, VisionProvider, VisionResult } from '../../src/ports/vision.js';

/**
 * Stands in for a paid vision API in pipeline tests: replies from a script, one entry per
 * call (an analysis, or an Error to throw), repeating the last entry when the script runs out.
 */
export class ScriptedVision implements VisionProvider {
  readonly provider = 'scripted';
  calls: VisionInput[] = [];
  constructor(
    private script: (Partial<AnalysisInput> | Error)[] = [{}],
    readonly model = 'scripted-v1',
  ) {}

  setScript(script: (Partial<AnalysisInput> | Error)[]) {
    this.script = script;
    this.calls = [];
  }

  async analyze(input: VisionInput): Promise<VisionResult> {
    const entry = this.script[Math.min(this.calls.length, this.script.length - 1)];
    this.calls.push(input);
    if (entry instanceof Error) throw entry;
    return {
      analysis: AnalysisSchema.parse({
        category: 'Food',
        subcategories: ['ramen'],
        headline: 'Ichiran Ramen in Fukuoka',
        summary: 'A ramen shop in Fukuoka open until late.',
        media_metadata: { location_tags: ['Fukuoka'], hashtags: ['#ramen'] },
        image_details: { extracted_text: ['Ichiran Ramen', 'Open 10:00 - 22:00'], likely_source: 'TikTok' },
        ...entry,
      }),
      provider: this.provider,
      model: this.model,
      traceId: null,
    };
  }
}
