/// A logged-in caseworker, as the session cookie says (filled by the session middleware).
public struct CaseworkerIdentity: Sendable, Equatable {
    public var username: String
    public var roles: Set<String>

    public init(username: String, roles: Set<String>) {
        self.username = username
        self.roles = roles
    }
}
