import Foundation

/// What an upload's status is and what a received upload and its parts must be, on every backend.
extension AkteRules {
    /// An upload's status from its row, its document once filed, and the parts of a split one:
    /// filed when every part is; otherwise the parts that wait say why.
    static func uploadStatus(of upload: UploadRecord, document: DocumentRecord?, parts: [UploadPart]) -> UploadStatus {
        var status = UploadStatus(
            uploadID: upload.id, sha256: upload.sha256, state: .received, reason: upload.reason,
            stage: upload.stage, documentID: upload.documentID, receivedAt: upload.receivedAt)
        switch upload.state {
        case .received: status.state = .received
        case .processing: status.state = .processing
        case .refused: status.state = .refused
        case .filed: status.state = .filed
        }
        if let document {
            (status.state, status.reason) = uploadState(of: document)
            status.stage = nil
        }
        status.parts = parts
        if !parts.isEmpty {
            let waiting = parts.filter { $0.state != .filed }
            status.state = waiting.isEmpty ? .filed : .needsReview
            status.reason = waiting.isEmpty ? nil : waiting.map {
                "part \($0.number) (pages \($0.firstPage)-\($0.lastPage)): \($0.stateReason ?? "needs review")"
            }.joined(separator: "; ")
        }
        return status
    }

    static func uploadState(of document: DocumentRecord) -> (UploadState, String?) {
        let reasons = document.reviewReasons.isEmpty ? nil : document.reviewReasons.joined(separator: "; ")
        switch document.effectiveStatus {
        case .filed: return (.filed, nil)
        case .needsReview: return (.needsReview, reasons)
        case .quarantined: return (.needsReview, "quarantined" + (reasons.map { ": \($0)" } ?? ""))
        }
    }

    static func receivedDetails(sha256: String, filename: String, channel: String, receivedAt: Date)
        -> [String: AuditDetail]
    {
        [
            "sha256": .text(sha256), "filename": .text(filename), "channel": .text(channel),
            "receivedAt": .text(receivedAt.formatted(AuditChain.timestampStyle)),
        ]
    }

    static func validateParts(uploadID: String, uploadSha256: String, parts: [NewPart]) throws {
        guard !uploadID.isEmpty else { throw AkteError.invalidInput("the parts have no upload id") }
        guard SHA256Hex.isValid(uploadSha256) else { throw AkteError.invalidSha256(uploadSha256) }
        guard !parts.isEmpty else { throw AkteError.invalidInput("upload \(uploadID): no parts to file") }
        var lastPage = 0
        for (index, part) in parts.enumerated() {
            guard part.number == index + 1 else {
                throw AkteError.invalidInput("upload \(uploadID): part \(index + 1) is numbered \(part.number); parts are numbered 1, 2, … in order")
            }
            guard part.firstPage > lastPage, part.lastPage >= part.firstPage else {
                throw AkteError.invalidInput(
                    "upload \(uploadID): part \(part.number) has pages \(part.firstPage)-\(part.lastPage); parts need ascending page ranges that do not overlap")
            }
            guard part.document.uploadID == uploadID else {
                throw AkteError.invalidInput("upload \(uploadID): part \(part.number) names upload \(part.document.uploadID)")
            }
            lastPage = part.lastPage
            try validate(part.document)
        }
    }
}
