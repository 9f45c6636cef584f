import type { Queryable } from '../ports/database.js';
import type { PipelineStep } from '../domain/item.js';

export interface StepClaimRef {
  item_id: string;
  user_id: string;
  step: PipelineStep;
}

export type ClaimResult =
  | { claimed: true }
  /** Another invocation holds the step until `expires_at`. */
  | { claimed: false; reason: 'held'; holder: string; expires_at: Date }
  /** The item no longer exists (deleted while its event was on the way). */
  | { claimed: false; reason: 'gone' };

/**
 * Claims on pipeline steps (migration 0006): at most one holder per item and step at a time.
 * The claim is one INSERT … ON CONFLICT DO UPDATE, so two concurrent claimers are ordered by
 * the row lock: the second sees the first's row and takes it only if that claim has expired
 * or is its own (a Lambda retry keeps the request id of the invocation it retries).
 */
export class StepClaimsRepository {
  constructor(private readonly db: Queryable) {}

  async claim(ref: StepClaimRef, holder: string, leaseMs: number): Promise<ClaimResult> {
    try {
      const won = await this.db.query<{ holder: string }>(
        `INSERT INTO step_claims (item_id, user_id, step, holder, expires_at)
         SELECT i.id, i.user_id, $3, $4, now() + ($5::int * interval '1 millisecond')
           FROM items i WHERE i.id = $1::uuid AND i.user_id = $2
         ON CONFLICT (user_id, item_id, step) DO UPDATE
           SET holder = EXCLUDED.holder, claimed_at = now(), expires_at = EXCLUDED.expires_at
           WHERE step_claims.holder = EXCLUDED.holder OR step_claims.expires_at <= now()
         RETURNING holder`,
        [ref.item_id, ref.user_id, ref.step, holder, Math.max(1, Math.round(leaseMs))],
      );
      if (won.rows.length) return { claimed: true };
    } catch (err) {
      // The item was deleted between the SELECT and the INSERT.
      if ((err as { code?: string }).code === '23503') return { claimed: false, reason: 'gone' };
      throw err;
    }
    const current = await this.db.query<{ holder: string; expires_at: Date }>(
      'SELECT holder, expires_at FROM step_claims WHERE item_id = $1::uuid AND user_id = $2 AND step = $3',
      [ref.item_id, ref.user_id, ref.step],
    );
    const row = current.rows[0];
    // No row: the item does not exist for this user (nothing was inserted, nothing conflicts).
    if (!row) return { claimed: false, reason: 'gone' };
    return { claimed: false, reason: 'held', holder: row.holder, expires_at: new Date(row.expires_at) };
  }

  /** Gives the claim up, if this holder still has it. */
  async release(ref: StepClaimRef, holder: string): Promise<void> {
    await this.db.query('DELETE FROM step_claims WHERE item_id = $1::uuid AND user_id = $2 AND step = $3 AND holder = $4', [
      ref.item_id,
      ref.user_id,
      ref.step,
      holder,
    ]);
  }
}
