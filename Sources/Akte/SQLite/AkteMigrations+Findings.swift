extension AkteMigrations {
    static let findingsIdentifier = "v4-finding-reviews"

    /// Caseworkers' "geprüft" on findings, one row per marking (the latest per key holds).
    static let v4FindingReviews = """
        CREATE TABLE findingReviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            findingKey TEXT NOT NULL,
            code TEXT NOT NULL,
            note TEXT NOT NULL,
            reviewedBy TEXT NOT NULL,
            reviewedAt DATETIME NOT NULL
        );
        CREATE INDEX findingReviews_case ON findingReviews(bgNummer, findingKey);
        """
}
