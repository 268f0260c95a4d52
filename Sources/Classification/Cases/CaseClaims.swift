import Foundation

/// What named a household before the document's own content was read: the upload's sidecar
/// and, in a batch, the cover sheet before the document. `CaseMatcher` weighs them with the
/// content; nothing else decides the case.
public struct CaseClaims: Sendable, Equatable {
    /// A sidecar's `case`, and how far it is believed.
    public struct SidecarClaim: Sendable, Equatable {
        public enum Standing: Sendable, Equatable {
            /// The operator's own file (`posteingang process`): believed when registered.
            case operatorsOwn
            /// Sent through a channel the operator trusts (`run --trusted-channel`): believed
            /// when registered.
            case trustedChannel(String)
            /// Sent through any other channel: it stands only when the content names the same
            /// household.
            case claim(channel: String?)
        }

        /// Normalised case number.
        public var caseID: String
        public var standing: Standing

        public init(caseID: String, standing: Standing) {
            self.caseID = CaseIdentifiers.normalizeAny(caseID)
            self.standing = standing
        }

        var isBelieved: Bool {
            if case .claim = standing { return false }
            return true
        }
    }

    /// The case a batch's cover sheet names for the document after it.
    public struct CoverClaim: Sendable, Equatable {
        /// 1-based page of the upload that is the cover sheet.
        public var page: Int
        /// Normalised case number.
        public var caseID: String

        public init(page: Int, caseID: String) {
            self.page = page
            self.caseID = caseID
        }
    }

    public var sidecar: SidecarClaim?
    public var cover: CoverClaim?

    public init(sidecar: SidecarClaim? = nil, cover: CoverClaim? = nil) {
        self.sidecar = sidecar
        self.cover = cover
    }

    /// No claims: the content alone decides.
    public static let none = CaseClaims()

    /// An operator's own sidecar naming `caseID` (blank: no claim).
    public static func sidecar(_ caseID: String?) -> CaseClaims {
        guard let caseID, !caseID.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .none }
        return CaseClaims(sidecar: SidecarClaim(caseID: caseID.trimmingCharacters(in: .whitespacesAndNewlines), standing: .operatorsOwn))
    }
}
