import Foundation

/// Clients of the upload API: tokens, who sent which upload, idempotent answers.
public protocol APIClientStore: Sendable {
    func issueAPIToken(client: String, caseID: String?, ratePerMinute: Int, by actor: String) throws -> IssuedAPIToken
    /// All tokens, oldest first (revoked ones too).
    func apiTokens() throws -> [APIToken]
    /// The live token whose secret is `secret`, or nil (unknown or revoked).
    func apiToken(secret: String) throws -> APIToken?
    func revokeAPIToken(id: String, by actor: String) throws -> APIToken
    /// Records an accepted upload and the answer for its idempotency key, or returns the answer
    /// another request stored for that key first.
    func recordAPIUpload(_ upload: APIUpload, idempotencyKey: String?, answer: StoredAPIAnswer?) throws -> StoredAPIAnswer?
    func storedAPIAnswer(tokenID: String, key: String) throws -> StoredAPIAnswer?
    func apiUpload(id uploadID: String) throws -> APIUpload?
    func apiUploadCount() throws -> Int
}
