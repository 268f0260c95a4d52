extension AkteMigrations {
    static let uploadNotesIdentifier = "v6-upload-notes"

    /// The note a citizen sends with an upload (the API's `note`, a sidecar's `note`), kept with
    /// the upload and with each receipt, so that the caseworker reads it beside the document.
    static let v6UploadNotes = """
        ALTER TABLE uploads ADD COLUMN note TEXT;
        ALTER TABLE receipts ADD COLUMN note TEXT;
        """
}
