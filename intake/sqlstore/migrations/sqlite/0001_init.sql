-- sigwatch intake store, schema version 1 (SQLite).
-- Times compared in SQL are BIGINT Unix microseconds; the exact values live
-- in the JSON bodies, which are what the store returns.

CREATE TABLE cases (
    id            TEXT    NOT NULL PRIMARY KEY,
    version       INTEGER NOT NULL,
    state         TEXT    NOT NULL,
    owner         TEXT    NOT NULL,
    last_activity INTEGER NOT NULL,
    body          TEXT    NOT NULL, -- JSON of intake.Case
    views         TEXT    NOT NULL  -- JSON of intake.Record.Views
);
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_owner ON cases (owner);

CREATE TABLE case_keys (
    key     TEXT NOT NULL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id)
);
CREATE INDEX case_keys_case ON case_keys (case_id);

-- The hash-chained journal. body holds the exact bytes that were hashed.
CREATE TABLE journal (
    seq  INTEGER NOT NULL PRIMARY KEY,
    prev TEXT    NOT NULL,
    hash TEXT    NOT NULL,
    body TEXT    NOT NULL
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'sigwatch: the journal is append-only: UPDATE refused');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'sigwatch: the journal is append-only: DELETE refused');
END;

CREATE TABLE journal_head (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO journal_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE outbox (
    ord         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, -- enqueue order
    id          TEXT    NOT NULL UNIQUE,
    case_id     TEXT    NOT NULL,
    notifier    TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    not_before  INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    body        TEXT    NOT NULL -- JSON of intake.Notification
);
CREATE INDEX outbox_due ON outbox (not_before, ord) WHERE state = 'pending';

CREATE TABLE source_state (
    source TEXT NOT NULL PRIMARY KEY,
    body   TEXT NOT NULL -- JSON of intake.SourceState
);
