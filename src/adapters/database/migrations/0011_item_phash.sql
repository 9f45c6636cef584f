-- Perceptual hash of each image (a 64-bit difference hash, services/pipeline/image/perceptual-hash.ts):
-- near-duplicate warnings compare it by Hamming distance, bit_count(a # b). Filled at upload, or
-- by process_image for direct uploads and imported items. A per-user scan: no index needed at the
-- sizes a person's collection reaches (bit_count over 10k rows is a few milliseconds).
ALTER TABLE items ADD COLUMN IF NOT EXISTS phash bit(64);
