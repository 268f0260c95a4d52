extension PostgresMigrations {
    /// `pg-v1`, who works with it: caseworkers and their sessions, API clients with their uploads
    /// and idempotent answers, findings' reviews, document requests, and a document's work and notes.
    static let v1Caseworkers = """
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
