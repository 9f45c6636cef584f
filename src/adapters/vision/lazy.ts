import type { VisionInput, VisionProvider, VisionResult } from '../../ports/vision.js';

/**
 * A provider whose implementation module is imported on first use. Provider and model are known
 * up front (they come from the configuration), so callers can record them without loading it.
 */
export class LazyVisionProvider implements VisionProvider {
  private loading: Promise<VisionProvider> | null = null;

  constructor(
    readonly provider: string,
    readonly model: string,
    private readonly load: () => Promise<VisionProvider>,
  ) {}

  /** The real provider (imported and built once). */
  resolve(): Promise<VisionProvider> {
    this.loading ??= this.load().catch((err: unknown) => {
      this.loading = null; // a failed import may be retried
      throw err;
    });
    return this.loading;
  }

  async analyze(input: VisionInput): Promise<VisionResult> {
    return (await this.resolve()).analyze(input);
  }

  async close(): Promise<void> {
    if (!this.loading) return; // never used: nothing to close
    const provider = await this.loading.catch(() => null);
    await provider?.close?.();
  }
}
