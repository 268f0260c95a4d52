/// A client of the upload API, as its token says (filled by the token middleware).
public struct APIClientIdentity: Sendable, Equatable {
    /// The client's name as the operator issued it (`posteingang tokens create --client NAME`).
    public var client: String
    /// The household the token is bound to, if any: such a token uploads only to it and reads only its own uploads.
    public var caseID: String?
    /// The token's public id (`tok-…`): idempotency keys and the rate limit are per token.
    public var tokenID: String
    /// Uploads this token may make per minute.
    public var ratePerMinute: Int

    public init(client: String, caseID: String?, tokenID: String = "", ratePerMinute: Int = 60) {
        self.client = client
        self.caseID = caseID
        self.tokenID = tokenID
        self.ratePerMinute = ratePerMinute
    }
}
