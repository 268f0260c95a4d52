extension PostgresMigrations {
    /// `pg-v1`, what is filed: the case register, documents with their uploads, receipts, pages,
    /// fields and corrections, the full-text index, and the append-only audit chain with its head row.
    static let v1Documents = """
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
        """
}
