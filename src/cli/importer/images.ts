import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ImportInputError } from '../../adapters/import-sources/source.js';

/**
 * The images folder, listed once. Lookups go by file name only (never a path from the source:
 * `file_path` says `./data/images/…` on the machine that made it), exact name first, then
 * case-insensitively (exports copied through case-insensitive file systems).
 */
export class ImageFolder {
  private constructor(
    readonly dir: string,
    private readonly exact: Set<string>,
    private readonly folded: Map<string, string>,
  ) {}

  static async open(dir: string): Promise<ImageFolder> {
    const abs = path.resolve(dir);
    const s = await stat(abs).catch(() => null);
    if (!s) throw new ImportInputError(`--images ${abs} does not exist`);
    if (!s.isDirectory()) throw new ImportInputError(`--images ${abs} is not a folder`);
    const entries = await readdir(abs, { withFileTypes: true });
    const names = entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
    const folded = new Map<string, string>();
    for (const n of names) if (!folded.has(n.toLowerCase())) folded.set(n.toLowerCase(), n);
    return new ImageFolder(abs, new Set(names), folded);
  }

  get size() {
    return this.exact.size;
  }

  /** The first of `names` present in the folder, as an absolute path. */
  find(names: string[]): string | null {
    for (const n of names) if (this.exact.has(n)) return path.join(this.dir, n);
    for (const n of names) {
      const hit = this.folded.get(n.toLowerCase());
      if (hit) return path.join(this.dir, hit);
    }
    return null;
  }
}
