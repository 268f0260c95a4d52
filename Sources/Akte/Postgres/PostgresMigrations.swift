/// Every schema change of the E-Akte on PostgreSQL, in order, in one place (the SQLite
/// side's are in `AkteMigrations`). Applied at opening inside one transaction that holds an
/// advisory lock, so that several hosts starting at once migrate once. A migration, once
/// released, is never edited: append one.
///
/// Column names are the SQLite side's (PostgreSQL folds them to lowercase), so that the same
/// records read both. Times are `timestamptz`; the audit trail's `at` stays the exact text hashed.
enum PostgresMigrations {
    /// The advisory lock key that serialises migrations (any 64-bit number of our own).
    static let lockKey: Int64 = 0x506F_7374_6D69_6772

    static let all: [(identifier: String, sql: String)] = [
        ("pg-v1", v1), ("pg-v2-jobs", v2Jobs), ("pg-v3-upload-notes", v3UploadNotes),
    ]

    /// The note a citizen sends with an upload, kept with the upload and its receipt (as SQLite's
    /// `v6-upload-notes`).
    static let v3UploadNotes = """
        ALTER TABLE uploads ADD COLUMN note TEXT;
        ALTER TABLE receipts ADD COLUMN note TEXT;
        """

    /// The work queue (`PostgresWorkQueue`): an accepted upload is a row, unique by upload id.
    /// `claimAlone` marks a job that was in hand with others when its worker died: it is retried
    /// alone, so that a file that kills its process is told apart from its neighbours.
    static let v2Jobs = """
        CREATE TABLE jobs (
            uploadID TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            filename TEXT NOT NULL,
            channel TEXT NOT NULL,
            sidecarJSON TEXT,
            receivedAt TIMESTAMPTZ NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('available', 'running', 'done', 'refused', 'quarantined')),
            attempt INTEGER NOT NULL DEFAULT 0,
            maxAttempts INTEGER NOT NULL,
            runAfter TIMESTAMPTZ NOT NULL,
            claimAlone BOOLEAN NOT NULL DEFAULT FALSE,
            lockedBy TEXT,
            leaseUntil TIMESTAMPTZ,
            lastError TEXT,
            refusalCode TEXT,
            createdAt TIMESTAMPTZ NOT NULL,
            finishedAt TIMESTAMPTZ
        );
        CREATE INDEX jobs_available ON jobs (runAfter, createdAt) WHERE state = 'available';
        CREATE INDEX jobs_running ON jobs (leaseUntil) WHERE state = 'running';
        """

    /// The schema of SQLite's `v1` … `v5-document-work` in one step, with full-text search in
    /// the `german` configuration (accents folded), and the audit chain's head row that appenders lock.
    static let v1 = v1Documents + "\n\n" + v1Caseworkers
}
