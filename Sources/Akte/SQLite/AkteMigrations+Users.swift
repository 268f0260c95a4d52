extension AkteMigrations {
    /// Caseworkers' accounts (roles, PBKDF2 password hash, lockout) and their browser sessions
    /// (only the SHA-256 of a session id is stored, so a copy of the file opens no session).
    static let v3Users = """
        CREATE TABLE caseworkers (
            username TEXT PRIMARY KEY NOT NULL,
            roles TEXT NOT NULL,
            passwordHash TEXT NOT NULL,
            disabled BOOLEAN NOT NULL DEFAULT 0,
            failedLogins INTEGER NOT NULL DEFAULT 0,
            lockedUntil DATETIME,
            createdAt DATETIME NOT NULL,
            updatedAt DATETIME NOT NULL
        );
        CREATE TABLE caseworkerSessions (
            idHash TEXT PRIMARY KEY NOT NULL,
            username TEXT NOT NULL REFERENCES caseworkers(username),
            csrfToken TEXT NOT NULL,
            createdAt DATETIME NOT NULL,
            lastSeenAt DATETIME NOT NULL,
            expiresAt DATETIME NOT NULL
        );
        CREATE INDEX caseworkerSessions_username ON caseworkerSessions(username);
        """
}
