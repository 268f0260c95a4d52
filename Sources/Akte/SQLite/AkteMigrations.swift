import GRDB

/// Every schema change of the E-Akte, in order, in one place.
///
/// A migration, once released, is never edited: data directories in the field were written by
/// it. Change the schema by appending a migration. The test suite builds a `v1` database by hand
/// and opens it, so an edit to `v1` fails there.
enum AkteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-parts") { db in
            try db.execute(sql: v3Parts)
        }
        migrator.registerMigration("v3-users") { db in
            try db.execute(sql: v3Users)
        }
        migrator.registerMigration(APIMigration.identifier) { db in
            try db.execute(sql: APIMigration.sql)
        }
        migrator.registerMigration(findingsIdentifier) { db in
            try db.execute(sql: v4FindingReviews)
        }
        migrator.registerMigration(requestsIdentifier) { db in
            try db.execute(sql: v5Requests)
        }
        migrator.registerMigration(workIdentifier) { db in
            try db.execute(sql: v5DocumentWork)
        }
        migrator.registerMigration(uploadNotesIdentifier) { db in
            try db.execute(sql: v6UploadNotes)
        }
        return migrator
    }

    /// Register, uploads, documents with pages and fields, receipts, and the audit trail.
    static let v1 = """
        CREATE TABLE households (
            bgNummer TEXT PRIMARY KEY NOT NULL,
            importedAt DATETIME NOT NULL,
            updatedAt DATETIME NOT NULL
        );
        CREATE TABLE persons (
            kundennummer TEXT PRIMARY KEY NOT NULL,
            bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            nachname TEXT NOT NULL,
            vorname TEXT NOT NULL,
            geburtsdatum TEXT,
            strasse TEXT,
            plz TEXT,
            ort TEXT,
            importedAt DATETIME NOT NULL,
            updatedAt DATETIME NOT NULL
        );
        CREATE INDEX persons_bgNummer ON persons(bgNummer);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            originalFilename TEXT NOT NULL,
            channel TEXT NOT NULL,
            receivedAt DATETIME NOT NULL,
            format TEXT NOT NULL,
            documentClass TEXT NOT NULL,
            classConfidence DOUBLE NOT NULL,
            status TEXT NOT NULL,
            caseID TEXT,
            pageCount INTEGER NOT NULL,
            text TEXT NOT NULL,
            reviewReasons TEXT NOT NULL,
            sensitive BOOLEAN NOT NULL,
            archivePDFSha256 TEXT,
            detailsJSON TEXT NOT NULL,
            filedAt DATETIME NOT NULL,
            filedBy TEXT NOT NULL
        );
        CREATE INDEX documents_caseID ON documents(caseID, receivedAt);
        CREATE TABLE uploads (
            id TEXT PRIMARY KEY NOT NULL,
            sha256 TEXT NOT NULL,
            filename TEXT NOT NULL,
            channel TEXT NOT NULL,
            receivedAt DATETIME NOT NULL,
            submitter TEXT,
            state TEXT NOT NULL,
            reason TEXT,
            stage TEXT,
            documentID TEXT REFERENCES documents(id),
            updatedAt DATETIME NOT NULL
        );
        CREATE INDEX uploads_sha256 ON uploads(sha256);
        CREATE TABLE receipts (
            uploadID TEXT PRIMARY KEY NOT NULL,
            documentID TEXT NOT NULL REFERENCES documents(id),
            filename TEXT NOT NULL,
            channel TEXT NOT NULL,
            receivedAt DATETIME NOT NULL,
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
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END;
        """

    /// Caseworkers' corrections beside the machine's values, and the full-text index.
    static let v2 = """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            documentID TEXT NOT NULL REFERENCES documents(id),
            kind TEXT NOT NULL,
            key TEXT,
            machineValue TEXT,
            previousValue TEXT,
            newValue TEXT,
            actor TEXT NOT NULL,
            at DATETIME NOT NULL
        );
        CREATE INDEX corrections_documentID ON corrections(documentID);
        CREATE INDEX corrections_at ON corrections(at);
        ALTER TABLE documents ADD COLUMN effectiveClass TEXT;
        ALTER TABLE documents ADD COLUMN effectiveStatus TEXT;
        ALTER TABLE documents ADD COLUMN effectiveCaseID TEXT;
        UPDATE documents SET effectiveClass = documentClass, effectiveStatus = status, effectiveCaseID = caseID;
        CREATE INDEX documents_effectiveCaseID ON documents(effectiveCaseID, receivedAt);
        CREATE INDEX documents_effectiveStatus ON documents(effectiveStatus, receivedAt);
        CREATE INDEX documents_receivedAt ON documents(receivedAt);
        CREATE VIRTUAL TABLE documentText USING fts5(
            documentID UNINDEXED,
            text,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO documentText(documentID, text) SELECT id, text FROM documents WHERE NOT sensitive;
        """

    /// Multi-document uploads: which pages of which upload each part's document is. An upload
    /// of one document has no rows here (its link stays in `receipts`).
    static let v3Parts = """
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
        """
}
