/// A client of the upload API, as its token says (filled by the token middleware).
public struct APIClientIdentity: Sendable, Equatable {
    /// The client's name as the operator issued it (`posteingang tokens create --client NAME`).
    public var client: String
    /// The household the token is bound to, if any: such a token uploads only to it and reads only its own uploads.
    public var caseID: String?

    public init(client: String, caseID: String?) {
        self.client = client
        self.caseID = caseID
    }
}
