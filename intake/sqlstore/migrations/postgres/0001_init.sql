-- sigwatch intake store, schema version 1 (PostgreSQL).
-- Times compared in SQL are BIGINT Unix microseconds; the exact values live
-- in the JSON bodies, which are what the store returns. Bodies are TEXT, not
-- JSONB: JSONB would reorder keys and break the journal's hashes. Keys are
-- COLLATE "C" so that ORDER BY sorts bytewise, as Go does.

CREATE TABLE cases (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    version       BIGINT NOT NULL,
    state         TEXT   NOT NULL,
    owner         TEXT   NOT NULL,
    last_activity BIGINT NOT NULL,
    body          TEXT   NOT NULL, -- JSON of intake.Case
    views         TEXT   NOT NULL  -- JSON of intake.Record.Views
);
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_owner ON cases (owner);

CREATE TABLE case_keys (
    key     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id)
);
CREATE INDEX case_keys_case ON case_keys (case_id);

-- The hash-chained journal. body holds the exact bytes that were hashed.
CREATE TABLE journal (
    seq  BIGINT NOT NULL PRIMARY KEY,
    prev TEXT   NOT NULL,
    hash TEXT   NOT NULL,
    body TEXT   NOT NULL
);
CREATE FUNCTION sigwatch_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sigwatch: the journal is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON journal
    FOR EACH STATEMENT EXECUTE FUNCTION sigwatch_journal_append_only();

-- One row; Save locks it first, which orders every writer.
CREATE TABLE journal_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO journal_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE outbox (
    ord         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- enqueue order
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    case_id     TEXT   NOT NULL,
    notifier    TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    not_before  BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    body        TEXT   NOT NULL -- JSON of intake.Notification
);
CREATE INDEX outbox_due ON outbox (not_before, ord) WHERE state = 'pending';

CREATE TABLE source_state (
    source TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    body   TEXT NOT NULL -- JSON of intake.SourceState
);
