-- Coffer vault schema, version 1. Times are integer milliseconds since the epoch, UTC.
-- Record ids are deterministic 63-bit integers (vault/ids.py); people, conversations and imports
-- have small sequential ids that users type.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    platform TEXT,
    importer TEXT,
    importer_version TEXT,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER,
    tz TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    status TEXT NOT NULL,            -- ok, failed
    counts TEXT,                     -- JSON {table: rows added}
    seen INTEGER DEFAULT 0,          -- records read (added or already known)
    invalid INTEGER DEFAULT 0,       -- rows skipped as invalid
    invalid_examples TEXT,           -- JSON list of reasons (no row values)
    unrecognized TEXT,               -- JSON list of field names not recognised
    error TEXT
);

-- Further imports that brought a record already in the vault (the first is the row's import_id).
CREATE TABLE record_sources (
    table_name TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    PRIMARY KEY (table_name, record_id, import_id)
) WITHOUT ROWID;
CREATE INDEX record_sources_import ON record_sources(import_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    display_name TEXT,
    is_self INTEGER NOT NULL DEFAULT 0,
    birthday TEXT,
    organization TEXT,
    import_id INTEGER
);

CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,              -- key, name, handle, phone, email, address
    value TEXT NOT NULL,
    import_id INTEGER
);
-- A platform key or handle is one person on that platform; a phone or e-mail is one person anywhere.
CREATE UNIQUE INDEX identities_platform_unique ON identities(platform, kind, value)
    WHERE kind IN ('key', 'handle');
CREATE UNIQUE INDEX identities_global_unique ON identities(kind, value)
    WHERE kind IN ('phone', 'email');
CREATE INDEX identities_person ON identities(person_id);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT,
    kind TEXT NOT NULL DEFAULT 'direct',
    import_id INTEGER,
    UNIQUE (platform, key)
);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, person_id)
) WITHOUT ROWID;

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    source_id TEXT,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    ts INTEGER NOT NULL,
    tz_offset_min INTEGER,
    text TEXT,
    kind TEXT NOT NULL DEFAULT 'text',
    reply_to INTEGER,
    edited INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    forwarded_from TEXT,
    lat REAL,
    lon REAL
);
CREATE INDEX messages_conversation_ts ON messages(conversation_id, ts);
CREATE INDEX messages_sender ON messages(sender_id);
CREATE INDEX messages_import ON messages(import_id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    source_id TEXT,
    kind TEXT NOT NULL,
    ts INTEGER NOT NULL,
    tz_offset_min INTEGER,
    author_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    title TEXT,
    text TEXT,
    url TEXT,
    parent_id TEXT,
    community TEXT,
    score INTEGER,
    lat REAL,
    lon REAL,
    place_name TEXT,
    edited INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_import ON posts(import_id);
CREATE INDEX posts_author ON posts(author_id);

CREATE TABLE reactions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    target_table TEXT NOT NULL,      -- messages, posts
    target_id INTEGER NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    reaction TEXT NOT NULL,
    ts INTEGER
);
CREATE INDEX reactions_target ON reactions(target_table, target_id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    target_table TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT,
    size INTEGER,
    lat REAL,
    lon REAL,
    ts INTEGER
);
CREATE INDEX attachments_target ON attachments(target_table, target_id);

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    source_id TEXT,
    ts INTEGER,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    value TEXT
);
CREATE INDEX interactions_import ON interactions(import_id);

-- Raw position fixes are stored columnar: chunks of up to 65,536 fixes of one import, each an
-- Arrow IPC stream (zstd) with columns id, ts, lat, lon, accuracy_m, altitude_m, velocity_mps,
-- heading_deg, source, device, activity. A fix's id is (ts << 8) | n, n telling apart distinct
-- fixes in the same millisecond, so ids sort by time.
CREATE TABLE location_chunks (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER NOT NULL,
    first_ts INTEGER NOT NULL,
    last_ts INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX location_chunks_range ON location_chunks(first_ts, last_ts);
CREATE INDEX location_chunks_import ON location_chunks(import_id);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    source_id TEXT,
    start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL,
    lat REAL,
    lon REAL,
    place_name TEXT,
    address TEXT,
    place_id TEXT,
    semantic_type TEXT,
    confidence REAL,
    parent_place_id TEXT
);
CREATE INDEX visits_import ON visits(import_id);

CREATE TABLE trips (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL,
    start_lat REAL,
    start_lon REAL,
    end_lat REAL,
    end_lon REAL,
    distance_m REAL,
    mode TEXT,
    confidence REAL
);
CREATE INDEX trips_import ON trips(import_id);

CREATE TABLE profile_facts (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    import_id INTEGER,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    ts INTEGER,
    sensitivity TEXT NOT NULL DEFAULT 'medium',
    source_file TEXT
);
CREATE INDEX profile_facts_import ON profile_facts(import_id);

CREATE TABLE policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    toml TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    policy_name TEXT,
    policy_toml TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,
    file_name TEXT,
    format TEXT,
    rows INTEGER NOT NULL,
    columns INTEGER,
    sha256 TEXT NOT NULL,
    worst_severity TEXT,
    report TEXT,                     -- the full reveal report, JSON
    fingerprints BLOB                -- hashes for linkage checks, JSON
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

CREATE TABLE query_history (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    sql TEXT NOT NULL,
    duration_ms INTEGER,
    rows INTEGER,
    error TEXT
);

-- Derived data kept to make loading fast; valid only while `generation` equals meta.generation.
CREATE TABLE snapshots (
    name TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    data BLOB NOT NULL
) WITHOUT ROWID;
