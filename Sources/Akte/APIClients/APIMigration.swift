/// Schema of the upload API: client tokens (only their SHA-256 is stored), which client
/// sent which upload, and the first answer to each `Idempotency-Key`. Registered as `v3-tokens`
/// in `AkteMigrations`; never edited once released.
enum APIMigration {
    static let identifier = "v3-tokens"

    static let sql = """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY NOT NULL,
            client TEXT NOT NULL,
            caseID TEXT,
            tokenSha256 TEXT NOT NULL UNIQUE,
            ratePerMinute INTEGER NOT NULL,
            createdAt DATETIME NOT NULL,
            createdBy TEXT NOT NULL,
            revokedAt DATETIME
        );
        CREATE TABLE api_uploads (
            uploadID TEXT PRIMARY KEY NOT NULL,
            tokenID TEXT NOT NULL REFERENCES api_tokens(id),
            client TEXT NOT NULL,
            caseID TEXT,
            fileName TEXT NOT NULL,
            parts INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            acceptedAt DATETIME NOT NULL
        );
        CREATE INDEX api_uploads_token ON api_uploads(tokenID);
        CREATE TABLE api_upload_parts (
            uploadID TEXT NOT NULL REFERENCES api_uploads(uploadID),
            position INTEGER NOT NULL,
            fileName TEXT NOT NULL,
            format TEXT NOT NULL,
            bytes INTEGER NOT NULL,
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
            createdAt DATETIME NOT NULL,
            PRIMARY KEY (tokenID, key)
        );
        """
}
