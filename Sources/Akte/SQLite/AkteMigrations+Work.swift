extension AkteMigrations {
    static let workIdentifier = "v5-document-work"

    /// A document's work: its state, who has it, a follow-up day (Wiedervorlage), and
    /// caseworkers' notes. A document without a `documentWork` row is `neu`.
    static let v5DocumentWork = """
        CREATE TABLE documentWork (
            documentID TEXT PRIMARY KEY NOT NULL REFERENCES documents(id),
            state TEXT NOT NULL,
            assignee TEXT,
            followUp TEXT,
            updatedAt DATETIME NOT NULL,
            updatedBy TEXT NOT NULL
        );
        CREATE INDEX documentWork_followUp ON documentWork(followUp);
        CREATE INDEX documentWork_assignee ON documentWork(assignee);
        CREATE TABLE documentNotes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            documentID TEXT NOT NULL REFERENCES documents(id),
            author TEXT NOT NULL,
            at DATETIME NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX documentNotes_documentID ON documentNotes(documentID, id);
        """
}
