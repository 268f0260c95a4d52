import Classification

/// Whether a sidecar may name the household.
///
/// The rule: a sidecar's `case` is honoured as such only when its `channel` is one the
/// operator configured as trusted (`posteingang run --trusted-channel scanner-poststelle`):
/// a channel whose sidecars are written by the Jobcenter's own systems. From any other
/// channel (a citizen's app, a mail gateway, an unnamed one) the sidecar is a *claim*: the
/// document is matched by its own content (barcode, number, name and address), and the
/// claim is accepted only if that gives the same household. If the content names another
/// household or none, the document gets no case and goes to review with the reason, so that
/// a sender cannot file papers into a case that is not theirs by naming it.
public struct SidecarTrust: Sendable {
    public var trustedChannels: Set<String>

    public init(trustedChannels: Set<String>) {
        self.trustedChannels = trustedChannels
    }

    /// The sidecar to give the matcher, and the case it claimed when that claim needs the
    /// text's confirmation.
    public func split(_ sidecar: Sidecar?) -> (Sidecar?, String?) {
        guard var sidecar, let claimed = sidecar.caseReference?.trimmingCharacters(in: .whitespacesAndNewlines),
              !claimed.isEmpty
        else { return (sidecar, nil) }
        if let channel = sidecar.channel, trustedChannels.contains(channel) { return (sidecar, nil) }
        sidecar.caseReference = nil
        return (sidecar, claimed)
    }

    /// Accepts an untrusted claim that the content confirms; otherwise takes the case away and
    /// sends the document to review.
    public func confirm(_ claimed: String?, channel: String?, in result: inout ProcessingResult) {
        guard let claimed else { return }
        let caseID = CaseIdentifiers.normalizeAny(claimed)
        if result.caseID == caseID { return }
        let from = channel.map { "channel '\($0)'" } ?? "an unnamed channel"
        let found = result.caseID.map { "the document's content points to \($0)" } ?? "the document's content does not confirm it"
        result.caseID = nil
        result.match = "none"
        result.needsReview = true
        result.reviewReasons.append(
            "sidecar from \(from), which is not a trusted channel, names case \(caseID); \(found)")
    }
}
