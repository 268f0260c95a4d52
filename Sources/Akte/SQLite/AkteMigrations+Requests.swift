extension AkteMigrations {
    static let requestsIdentifier = "v5-requests"

    /// Documents a caseworker asked a household for (§ 66 SGB I): a class, optionally the period
    /// they must cover (ISO days, both or neither), a due date; closed when the caseworker takes
    /// the request back. Whether a request is fulfilled is not stored: it is computed from the
    /// filed documents each time, like the findings.
    static let v5Requests = """
        CREATE TABLE documentRequests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            documentClass TEXT NOT NULL,
            periodFrom TEXT,
            periodTo TEXT,
            dueDate TEXT NOT NULL,
            note TEXT NOT NULL,
            requestedBy TEXT NOT NULL,
            requestedAt DATETIME NOT NULL,
            closedAt DATETIME,
            closedBy TEXT,
            closeNote TEXT,
            CHECK ((periodFrom IS NULL) = (periodTo IS NULL))
        );
        CREATE INDEX documentRequests_case ON documentRequests(bgNummer, closedAt);
        CREATE INDEX documentRequests_due ON documentRequests(closedAt, dueDate);
        """
}
