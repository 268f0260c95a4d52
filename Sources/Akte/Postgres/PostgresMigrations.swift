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
    static let v1 = """
        CREATE TABLE households (
            bgNummer TEXT PRIMARY KEY,
            importedAt TIMESTAMPTZ NOT NULL,
            updatedAt TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE persons (
            kundennummer TEXT PRIMARY KEY,
            bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            nachname TEXT NOT NULL,
            vorname TEXT NOT NULL,
            geburtsdatum TEXT,
            strasse TEXT,
            plz TEXT,
            ort TEXT,
            importedAt TIMESTAMPTZ NOT NULL,
            updatedAt TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX persons_bgNummer ON persons(bgNummer);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            originalFilename TEXT NOT NULL,
            channel TEXT NOT NULL,
            receivedAt TIMESTAMPTZ NOT NULL,
            format TEXT NOT NULL,
            documentClass TEXT NOT NULL,
            classConfidence DOUBLE PRECISION NOT NULL,
            status TEXT NOT NULL,
            caseID TEXT,
            pageCount INTEGER NOT NULL,
            text TEXT NOT NULL,
            reviewReasons TEXT NOT NULL,
            sensitive BOOLEAN NOT NULL,
            archivePDFSha256 TEXT,
            detailsJSON TEXT NOT NULL,
            filedAt TIMESTAMPTZ NOT NULL,
            filedBy TEXT NOT NULL,
            effectiveClass TEXT NOT NULL,
            effectiveStatus TEXT NOT NULL,
            effectiveCaseID TEXT
        );
        CREATE INDEX documents_caseID ON documents(caseID, receivedAt);
        CREATE INDEX documents_effectiveCaseID ON documents(effectiveCaseID, receivedAt);
        CREATE INDEX documents_effectiveStatus ON documents(effectiveStatus, receivedAt);
        CREATE INDEX documents_receivedAt ON documents(receivedAt);
        CREATE TABLE uploads (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            filename TEXT NOT NULL,
            channel TEXT NOT NULL,
            receivedAt TIMESTAMPTZ NOT NULL,
            submitter TEXT,
            state TEXT NOT NULL,
            reason TEXT,
            stage TEXT,
            documentID TEXT REFERENCES documents(id),
            updatedAt TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX uploads_sha256 ON uploads(sha256);
        CREATE TABLE receipts (
            uploadID TEXT PRIMARY KEY,
            documentID TEXT NOT NULL REFERENCES documents(id),
            filename TEXT NOT NULL,
            channel TEXT NOT NULL,
            receivedAt TIMESTAMPTZ NOT NULL,
            submitter TEXT
        );
        CREATE INDEX receipts_documentID ON receipts(documentID);
        CREATE TABLE pages (
            documentID TEXT NOT NULL REFERENCES documents(id),
            number INTEGER NOT NULL,
            text TEXT,
            PRIMARY KEY (documentID, number)
        );
        CREATE TABLE fields (
            documentID TEXT NOT NULL REFERENCES documents(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            doubtful BOOLEAN NOT NULL,
            reason TEXT,
            PRIMARY KEY (documentID, key)
        );
        CREATE TABLE uploadParts (
            uploadID TEXT NOT NULL REFERENCES uploads(id),
            partNumber INTEGER NOT NULL,
            partCount INTEGER NOT NULL,
            documentID TEXT NOT NULL REFERENCES documents(id),
            firstPage INTEGER NOT NULL,
            lastPage INTEGER NOT NULL,
            coverPage INTEGER,
            coverPayload TEXT,
            reason TEXT NOT NULL,
            method TEXT NOT NULL,
            PRIMARY KEY (uploadID, partNumber)
        );
        CREATE INDEX uploadParts_documentID ON uploadParts(documentID);
        CREATE TABLE corrections (
            id BIGSERIAL PRIMARY KEY,
            documentID TEXT NOT NULL REFERENCES documents(id),
            kind TEXT NOT NULL,
            key TEXT,
            machineValue TEXT,
            previousValue TEXT,
            newValue TEXT,
            actor TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX corrections_documentID ON corrections(documentID);
        CREATE INDEX corrections_at ON corrections(at);
        -- PostgreSQL's german configuration with accents folded first (unaccent is a trusted
        -- extension: the database's owner may create it), so that "Ozdemir" finds "Özdemir" and
        -- "Strasse" "Straße", as SQLite's unicode61 tokenizer with remove_diacritics does.
        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE TEXT SEARCH CONFIGURATION posteingang_german (COPY = pg_catalog.german);
        ALTER TEXT SEARCH CONFIGURATION posteingang_german
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
        CREATE TABLE documentText (
            documentID TEXT PRIMARY KEY REFERENCES documents(id),
            text TEXT NOT NULL,
            words TSVECTOR GENERATED ALWAYS AS (to_tsvector('posteingang_german'::regconfig, text)) STORED
        );
        CREATE INDEX documentText_words ON documentText USING GIN (words);

        CREATE TABLE audit (
            seq BIGINT PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            documentID TEXT,
            uploadID TEXT,
            details TEXT NOT NULL,
            previousHash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_documentID ON audit(documentID);
        CREATE INDEX audit_uploadID ON audit(uploadID);
        CREATE INDEX audit_actor ON audit(actor);
        -- The chain's head: every append locks this one row (SELECT … FOR UPDATE), so writers on
        -- any number of hosts append one after another; its seq also shows a deleted last entry.
        CREATE TABLE audit_head (
            singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO audit_head (singleton, seq, hash) VALUES (TRUE, 0, repeat('0', 64));
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit trail is append-only: entries cannot be %',
                CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'deleted' END;
        END $$;
        CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
            FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

        CREATE TABLE caseworkers (
            username TEXT PRIMARY KEY,
            roles TEXT NOT NULL,
            passwordHash TEXT NOT NULL,
            disabled BOOLEAN NOT NULL DEFAULT FALSE,
            failedLogins INTEGER NOT NULL DEFAULT 0,
            lockedUntil TIMESTAMPTZ,
            createdAt TIMESTAMPTZ NOT NULL,
            updatedAt TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE caseworkerSessions (
            idHash TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES caseworkers(username),
            csrfToken TEXT NOT NULL,
            createdAt TIMESTAMPTZ NOT NULL,
            lastSeenAt TIMESTAMPTZ NOT NULL,
            expiresAt TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX caseworkerSessions_username ON caseworkerSessions(username);

        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            caseID TEXT,
            tokenSha256 TEXT NOT NULL UNIQUE,
            ratePerMinute INTEGER NOT NULL,
            createdAt TIMESTAMPTZ NOT NULL,
            createdBy TEXT NOT NULL,
            revokedAt TIMESTAMPTZ
        );
        CREATE TABLE api_uploads (
            uploadID TEXT PRIMARY KEY,
            tokenID TEXT NOT NULL REFERENCES api_tokens(id),
            client TEXT NOT NULL,
            caseID TEXT,
            fileName TEXT NOT NULL,
            parts INTEGER NOT NULL,
            bytes BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            acceptedAt TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX api_uploads_token ON api_uploads(tokenID);
        CREATE TABLE api_upload_parts (
            uploadID TEXT NOT NULL REFERENCES api_uploads(uploadID),
            position INTEGER NOT NULL,
            fileName TEXT NOT NULL,
            format TEXT NOT NULL,
            bytes BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (uploadID, position)
        );
        CREATE TABLE api_idempotency (
            tokenID TEXT NOT NULL REFERENCES api_tokens(id),
            key TEXT NOT NULL,
            requestSha256 TEXT NOT NULL,
            uploadID TEXT NOT NULL,
            httpStatus INTEGER NOT NULL,
            responseJSON TEXT NOT NULL,
            createdAt TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (tokenID, key)
        );

        CREATE TABLE findingReviews (
            id BIGSERIAL PRIMARY KEY,
            bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            findingKey TEXT NOT NULL,
            code TEXT NOT NULL,
            note TEXT NOT NULL,
            reviewedBy TEXT NOT NULL,
            reviewedAt TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX findingReviews_case ON findingReviews(bgNummer, findingKey);
        CREATE TABLE documentRequests (
            id BIGSERIAL PRIMARY KEY,
            bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            documentClass TEXT NOT NULL,
            periodFrom TEXT,
            periodTo TEXT,
            dueDate TEXT NOT NULL,
            note TEXT NOT NULL,
            requestedBy TEXT NOT NULL,
            requestedAt TIMESTAMPTZ NOT NULL,
            closedAt TIMESTAMPTZ,
            closedBy TEXT,
            closeNote TEXT,
            CHECK ((periodFrom IS NULL) = (periodTo IS NULL))
        );
        CREATE INDEX documentRequests_case ON documentRequests(bgNummer, closedAt);
        CREATE INDEX documentRequests_due ON documentRequests(closedAt, dueDate);
        CREATE TABLE documentWork (
            documentID TEXT PRIMARY KEY REFERENCES documents(id),
            state TEXT NOT NULL,
            assignee TEXT,
            followUp TEXT,
            updatedAt TIMESTAMPTZ NOT NULL,
            updatedBy TEXT NOT NULL
        );
        CREATE INDEX documentWork_followUp ON documentWork(followUp);
        CREATE INDEX documentWork_assignee ON documentWork(assignee);
        CREATE TABLE documentNotes (
            id BIGSERIAL PRIMARY KEY,
            documentID TEXT NOT NULL REFERENCES documents(id),
            author TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX documentNotes_documentID ON documentNotes(documentID, id);
        """
}
