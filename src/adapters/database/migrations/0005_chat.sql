-- Chat (DESIGN.md §5): the laptop home's ChatStore (src/adapters/chat-store/sql), i.e. one
-- session record per conversation, a turn lock, and LangGraph checkpoints laid out like the
-- official Postgres saver (checkpoints, per-channel blobs, pending writes). The AWS home keeps the
-- same records in DynamoDB instead.
--
-- As in the rest of the schema every table carries user_id and every key and index leads with
-- it. For checkpoint rows it is the owner part of the thread id `{userId}#{sessionId}` ('' for a
-- thread named otherwise, e.g. by LangGraph tooling), so a user's chat rows sit together and two
-- users with the same session id never share a key.
--
-- Every row carries expires_at. A thread's rows (its session, checkpoints, blobs and writes)
-- share one expiry, pushed to ttl after each activity; reads hide rows past it and
-- purgeExpired deletes them. The application writes every time from its own clock and never
-- calls SQL now(): tests move a fake clock. purgeExpired scans expires_at without an index of
-- its own: an index cannot lead with expires_at here, and the job runs rarely over small tables.

CREATE TABLE chat_sessions (
  user_id        text NOT NULL,
  session_id     text NOT NULL,
  title          text NOT NULL,
  created_at     timestamptz NOT NULL,
  last_activity  timestamptz NOT NULL,
  message_count  integer NOT NULL CHECK (message_count >= 0),
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (user_id, session_id)
);
CREATE INDEX chat_sessions_user_activity_idx ON chat_sessions (user_id, last_activity DESC);

-- One row while a turn holds a session (a row per hold, removed on release). Kept apart from
-- chat_sessions because a turn takes its lock before the session's first turn is recorded, and a
-- session that never recorded a turn must not exist. expires_at is where the hold lapses, so a
-- turn whose process died frees its session by itself.
CREATE TABLE chat_turn_locks (
  user_id     text NOT NULL,
  session_id  text NOT NULL,
  owner       text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, session_id)
);

-- Checkpoint ids are uuid6 strings that sort in time order; COLLATE "C" makes Postgres sort and
-- compare them byte by byte, as LangGraph does (latest checkpoint, list's `before`), whatever
-- the database's default collation.
CREATE TABLE chat_checkpoints (
  user_id               text NOT NULL,
  thread_id             text NOT NULL,
  checkpoint_ns         text NOT NULL DEFAULT '',
  checkpoint_id         text COLLATE "C" NOT NULL,
  parent_checkpoint_id  text COLLATE "C",
  -- The checkpoint without its channel values (those are in chat_blobs), serialised by the
  -- saver's serde; type is the serde's type tag.
  type                  text NOT NULL,
  checkpoint            bytea NOT NULL,
  -- jsonb so list() can filter with `metadata @> filter`.
  metadata              jsonb NOT NULL,
  expires_at            timestamptz NOT NULL,
  PRIMARY KEY (user_id, thread_id, checkpoint_ns, checkpoint_id)
);

-- One value per channel version: a checkpoint stores only the channels that changed, and later
-- checkpoints find unchanged channels here by the versions they record.
CREATE TABLE chat_blobs (
  user_id        text NOT NULL,
  thread_id      text NOT NULL,
  checkpoint_ns  text NOT NULL DEFAULT '',
  channel        text NOT NULL,
  version        text NOT NULL,
  type           text NOT NULL,
  blob           bytea NOT NULL,
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (user_id, thread_id, checkpoint_ns, channel, version)
);

-- Pending writes of a checkpoint's tasks. idx is the write's position in its task, or a
-- negative number for LangGraph's special channels (WRITES_IDX_MAP: errors, interrupts, …).
CREATE TABLE chat_writes (
  user_id        text NOT NULL,
  thread_id      text NOT NULL,
  checkpoint_ns  text NOT NULL DEFAULT '',
  checkpoint_id  text COLLATE "C" NOT NULL,
  task_id        text NOT NULL,
  idx            integer NOT NULL,
  channel        text NOT NULL,
  type           text NOT NULL,
  value          bytea NOT NULL,
  task_path      text NOT NULL DEFAULT '',
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (user_id, thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
);
