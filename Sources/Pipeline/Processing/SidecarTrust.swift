import Classification
import Foundation
import SpoolFiles

/// How far a sidecar's `case` is believed: the policy; `CaseMatcher` makes the decision.
///
/// The daemon believes a sidecar's `case` only when its `channel` is one the operator
/// configured as trusted (`posteingang run --trusted-channel scanner-poststelle`): a channel
/// whose sidecars are written by the Jobcenter's own systems. From any other channel (a
/// citizen's app, a mail gateway, an unnamed one) the sidecar is a *claim*: the document is
/// matched by its own content, and the claim stands only if that gives the same household;
/// otherwise the document gets no case and goes to review with the reason, so that a sender
/// cannot file papers into a case that is not theirs by naming it. `posteingang process`, run
/// by an operator on their own files, believes every sidecar (`operatorsOwnFiles`).
public struct SidecarTrust: Sendable, Equatable {
    /// Channels whose sidecars are believed; nil: every sidecar is (the operator's own files).
    public var trustedChannels: Set<String>?

    public init(trustedChannels: Set<String>) {
        self.trustedChannels = trustedChannels
    }

    private init() {
        trustedChannels = nil
    }

    /// Every sidecar believed: for files an operator processes themselves.
    public static let operatorsOwnFiles = SidecarTrust()

    /// The claim `sidecar` makes about the household, nil when it names none.
    public func claim(of sidecar: Sidecar?) -> CaseClaims.SidecarClaim? {
        guard let named = sidecar?.caseReference?.trimmingCharacters(in: .whitespacesAndNewlines), !named.isEmpty else {
            return nil
        }
        let channel = sidecar?.channel
        guard let trustedChannels else { return CaseClaims.SidecarClaim(caseID: named, standing: .operatorsOwn) }
        if let channel, trustedChannels.contains(channel) {
            return CaseClaims.SidecarClaim(caseID: named, standing: .trustedChannel(channel))
        }
        return CaseClaims.SidecarClaim(caseID: named, standing: .claim(channel: channel))
    }
}
