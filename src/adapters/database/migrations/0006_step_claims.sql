-- Who is running a pipeline step of an item right now (AWS home). EventBridge and Lambda's
-- asynchronous invocation deliver at least once, so two invocations can carry the same step of
-- the same item at the same time (a duplicated S3 event; an upload through POST /items, which
-- announces the original both from S3 and from the API). The first to insert its claim does the
-- work; the other finds the claim held and stops, so the step's effects happen once: one vision
-- call, one analysis version, one embedding. `holder` is the Lambda request id, which Lambda
-- keeps when it retries an invocation, so a retry of a crashed holder takes its claim back;
-- `expires_at` (the function's timeout) frees a claim whose holder is gone for good.
CREATE TABLE step_claims (
  item_id    uuid NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  user_id    text NOT NULL,
  step       text NOT NULL CHECK (step IN ('process_image', 'analyze', 'embed')),
  holder     text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- Like every key of the schema, it leads with the owner.
  PRIMARY KEY (user_id, item_id, step)
);
