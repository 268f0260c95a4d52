import Foundation

/// Where an S3 blob store is: `s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION[&credentials=FILE]`.
/// Addressing is path-style (`ENDPOINT/BUCKET/KEY`), which every S3-compatible store answers.
/// Keys and secrets never go here (a command line is visible in `ps`): see `S3Credentials`.
public struct S3Location: Sendable, Equatable {
    public var bucket: String
    /// Folder inside the bucket, without slashes at either end; empty for the bucket's root.
    public var prefix: String
    /// `http(s)://HOST[:PORT]`, without a path.
    public var endpoint: URL
    public var region: String
    /// A file with the access key and secret (`credentials=` in the address).
    public var credentialsFile: String?

    static let parameters = ["endpoint", "region", "credentials"]

    /// Parses an `s3://` address; the error says what is wrong and what is accepted.
    public init(parsing value: String) throws {
        guard value.hasPrefix("s3://") else { throw S3LocationError("'\(value)' does not start with s3://") }
        var rest = String(value.dropFirst("s3://".count))
        var queryString = ""
        if let mark = rest.firstIndex(of: "?") {
            queryString = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        if rest.contains("@") {
            throw S3LocationError(
                "keys do not belong in the address (a command line is visible to every user in ps): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or POSTEINGANG_S3_ACCESS_KEY_ID/…_SECRET_ACCESS_KEY), or name a file with credentials=FILE")
        }
        let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
        bucket = parts.first ?? ""
        prefix = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "/")) : ""
        guard Self.isValidBucket(bucket) else {
            throw S3LocationError(
                "'\(bucket)' is not a bucket name (3 to 63 characters: lowercase letters, digits, '.', '-'; starting and ending with a letter or digit)")
        }
        var query: [String: String] = [:]
        for item in queryString.split(separator: "&") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            let name = pair[0].removingPercentEncoding ?? pair[0]
            let value = pair.count > 1 ? (pair[1].removingPercentEncoding ?? pair[1]) : ""
            guard Self.parameters.contains(name) else {
                if ["access_key", "secret", "secret_key", "access_key_id", "secret_access_key", "password"].contains(name.lowercased()) {
                    throw S3LocationError(
                        "'\(name)' does not belong in the address (visible in ps): use the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or credentials=FILE")
                }
                throw S3LocationError("unknown parameter '\(name)' (accepted: \(Self.parameters.joined(separator: ", ")))")
            }
            query[name] = value
        }
        region = query["region"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        guard region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw S3LocationError("region '\(region)' is not a region name (letters, digits, '-', e.g. us-east-1)")
        }
        let endpointText = query["endpoint"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://s3.\(region).amazonaws.com"
        guard let endpoint = URL(string: endpointText), let scheme = endpoint.scheme, ["http", "https"].contains(scheme),
            let host = endpoint.host, !host.isEmpty, endpoint.path.isEmpty || endpoint.path == "/", endpoint.query == nil
        else {
            throw S3LocationError("endpoint '\(endpointText)' is not an http:// or https:// address of a host (e.g. http://127.0.0.1:8333), without a path")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host  // an IPv6 address
        self.endpoint = URL(string: "\(scheme)://\(bracketed)\(endpoint.port.map { ":\($0)" } ?? "")")!
        credentialsFile = query["credentials"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `s3://BUCKET[/PREFIX] at ENDPOINT`, for logs and messages.
    public var description: String {
        "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix) at \(endpoint.absoluteString)"
    }

    /// The object key for a name inside the store (`sha256/ab/…`).
    public func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + "/" + name }

    /// `Host` as sent: the host, with the port when the address names one.
    var hostHeader: String {
        let host = endpoint.host!
        return (host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) + (endpoint.port.map { ":\($0)" } ?? "")
    }

    static func isValidBucket(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (48...57).contains(b) || (97...122).contains(b) }
        return alnum(bytes.first!) && alnum(bytes.last!) && bytes.allSatisfy { alnum($0) || $0 == 46 || $0 == 45 }
    }
}

/// A `--blobs` / `POSTEINGANG_BLOBS` value that cannot be used, and why.
public struct S3LocationError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
