-- Collections core schema (DESIGN.md §3). Every table carries user_id and every index leads with
-- it, so each query a user can cause is scoped and served by a per-user index.
CREATE EXTENSION IF NOT EXISTS vector;
-- btree_gin lets the full-text GIN index lead with user_id.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE items (
  id                uuid PRIMARY KEY,
  user_id           text NOT NULL,
  filename          text NOT NULL,
  original_filename text NOT NULL,
  mime_type         text NOT NULL,
  file_size         bigint NOT NULL CHECK (file_size >= 0),
  width             integer,
  height            integer,
  sha256            text NOT NULL,
  original_key      text NOT NULL,
  thumbnail_key     text,
  status            text NOT NULL DEFAULT 'uploaded'
                    CHECK (status IN ('uploaded', 'processing', 'analyzed', 'ready', 'failed')),
  error             text,
  failed_step       text CHECK (failed_step IN ('process_image', 'analyze', 'embed')),
  attempts          integer NOT NULL DEFAULT 0,
  captured_at       timestamptz,
  gps_latitude      double precision,
  gps_longitude     double precision,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- One copy of the same bytes per user: a second upload returns the existing item.
CREATE UNIQUE INDEX items_user_sha256_key ON items (user_id, sha256);
CREATE INDEX items_user_created_idx ON items (user_id, created_at DESC, id DESC);
CREATE INDEX items_user_status_idx ON items (user_id, status);

CREATE TABLE analyses (
  id             uuid PRIMARY KEY,
  item_id        uuid NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  user_id        text NOT NULL,
  version        integer NOT NULL CHECK (version >= 1),
  category       text NOT NULL,
  subcategories  text[] NOT NULL DEFAULT '{}',
  headline       text NOT NULL,
  summary        text NOT NULL,
  raw            jsonb NOT NULL,
  provider       text NOT NULL,
  model          text NOT NULL,
  trace_id       text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX analyses_user_item_version_key ON analyses (user_id, item_id, version);
CREATE INDEX analyses_user_category_idx ON analyses (user_id, category);

-- One search row per item, rebuilt from the latest analysis by the embed step.
-- The embedding has no fixed dimension: it follows the configured provider, and
-- embedding_model says which one made it (a later search issue adds per-model ANN indexes).
CREATE TABLE search_rows (
  item_id          uuid PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  user_id          text NOT NULL,
  analysis_id      uuid NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
  category         text NOT NULL,
  document         text NOT NULL,
  tsv              tsvector NOT NULL,
  embedding        vector,
  embedding_model  text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_rows_user_item_idx ON search_rows (user_id, item_id);
CREATE INDEX search_rows_user_tsv_idx ON search_rows USING gin (user_id, tsv);
CREATE INDEX search_rows_user_model_idx ON search_rows (user_id, embedding_model);
