/**
 * The saver's records as they are read back (checked with zod, since a table is shared state
 * that other code, older versions or a console edit may have touched), and the small
 * conversions between LangGraph's RunnableConfig and what the records hold.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { RunnableConfig } from '@langchain/core/runnables';
import { getCheckpointId, type Checkpoint, type CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import { z } from 'zod';
import { storedPayload, type Serialized } from './payload.js';
import { ATTR } from '../../../contracts/chat-table.js';

/** Record attributes that hold payloads (maps described in payload.ts). */
export const PAYLOAD_ATTRIBUTES = ['checkpoint', 'metadata', 'value'] as const;

const expiresAt = z.number().optional();

const channelVersionsMap = z.record(z.string(), z.union([z.number(), z.string()]));

export const storedVersionsRecord = z.object({
  stored_versions: channelVersionsMap.optional(),
  [ATTR.expiresAt]: expiresAt,
});

export const checkpointRecord = z.object({
  [ATTR.pk]: z.string(),
  checkpoint_ns: z.string(),
  checkpoint_id: z.string(),
  parent_checkpoint_id: z.string().optional(),
  checkpoint: storedPayload,
  metadata: storedPayload,
  [ATTR.expiresAt]: expiresAt,
});
export type CheckpointRecord = z.infer<typeof checkpointRecord>;

export const writeRecord = z.object({
  task_id: z.string(),
  task_path: z.string(),
  idx: z.number().int(),
  channel: z.string(),
  value: storedPayload,
  [ATTR.expiresAt]: expiresAt,
});
export type WriteRecord = z.infer<typeof writeRecord>;

export const keyRecord = z.object({ [ATTR.pk]: z.string(), [ATTR.sk]: z.string(), [ATTR.expiresAt]: expiresAt });

export interface Target {
  threadId?: string;
  /** undefined: not given (every namespace, where that makes sense). */
  ns?: string;
  checkpointId?: string;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TypeError(`configurable.${field} must be a string, got ${typeof value}`);
  return value;
}

export function readTarget(config: RunnableConfig): Target {
  const configurable: Record<string, unknown> = config.configurable ?? {};
  return {
    threadId: optionalString(configurable.thread_id, 'thread_id'),
    ns: optionalString(configurable.checkpoint_ns, 'checkpoint_ns'),
    checkpointId: optionalString(getCheckpointId(config) || undefined, 'checkpoint_id'),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The serializer returns `any`; this is the least a checkpoint must look like to be used. */
export function asCheckpoint(value: unknown): Checkpoint {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.v !== 'number') {
    throw new Error('A stored checkpoint could not be read back');
  }
  return value as unknown as Checkpoint;
}

export function asMetadata(value: unknown): CheckpointMetadata {
  if (!isObject(value)) throw new Error('Stored checkpoint metadata could not be read back');
  return value as CheckpointMetadata;
}

export const configFor = (threadId: string, ns: string, checkpointId: string): RunnableConfig => ({
  configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpointId },
});

/** Identifies a checkpoint's content, to tell an identical retry from a conflicting put. */
export function contentDigest(checkpoint: Serialized, metadata: Serialized, parentId: string): string {
  const hash = createHash('sha256');
  for (const part of [checkpoint[0], checkpoint[1], metadata[0], metadata[1], parentId]) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    // Length-prefixed, so moving bytes from one part to the next changes the digest.
    hash.update(String(bytes.byteLength)).update(':').update(bytes);
  }
  return hash.digest('hex');
}

export function pick<T>(values: Record<string, T>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(values, key)).map((key) => [key, values[key] as T]));
}

export function matches(metadata: CheckpointMetadata, filter: Record<string, unknown>): boolean {
  const fields: Record<string, unknown> = metadata;
  return Object.entries(filter).every(([key, value]) => isDeepStrictEqual(fields[key], value));
}
