import Akte
import CCrypto
import Foundation

/// AWS Signature Version 4 for requests signed in headers (`Authorization: AWS4-HMAC-SHA256 …`):
/// canonical request, string to sign, signing key by an HMAC-SHA256 chain over date, region and
/// service. Checked against AWS's published test vectors (Tests/ObjectStoreTests/Resources).
///
/// Paths are given unencoded and encoded here once, each byte outside `A-Z a-z 0-9 - . _ ~` as
/// `%XX`; S3 wants them so (no normalisation, no double encoding); other services normalise the
/// path (`normalizesPath`).
public struct SignatureV4: Sendable {
    /// An access key with its secret (and, for temporary keys, a session token).
    public struct Credentials: Sendable, Equatable {
        public var accessKeyID: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }
    }

    /// What is signed: method, unencoded path, query items (unencoded) and headers, in order.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(name: String, value: String)]
        public var headers: [(name: String, value: String)]

        public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
        }
    }

    /// The signature and what it was made of; `headers` are the ones to add to the request.
    public struct Signed: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var authorization: String
        /// `X-Amz-Date`, `x-amz-content-sha256` and `X-Amz-Security-Token` (as signed), and `Authorization`.
        public var headers: [(name: String, value: String)]
    }

    public var credentials: Credentials
    public var region: String
    public var service: String
    public var normalizesPath: Bool
    /// Sign the payload's SHA-256 in an `x-amz-content-sha256` header (S3 requires it).
    public var signsContentHash: Bool
    /// Leave the session token out of the signature (added after signing), as some services want.
    public var omitsSessionTokenFromSignature: Bool

    public init(
        credentials: Credentials, region: String, service: String, normalizesPath: Bool, signsContentHash: Bool,
        omitsSessionTokenFromSignature: Bool = false
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath
        self.signsContentHash = signsContentHash
        self.omitsSessionTokenFromSignature = omitsSessionTokenFromSignature
    }

    /// For S3: path-style, no normalisation, the payload hash signed.
    public static func s3(credentials: Credentials, region: String) -> SignatureV4 {
        SignatureV4(credentials: credentials, region: region, service: "s3", normalizesPath: false, signsContentHash: true)
    }

    /// SHA-256 of an empty payload.
    public static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Signs `request` whose body hashes to `payloadSHA256` (lowercase hex) at `date`.
    public func sign(_ request: Request, payloadSHA256: String, date: Date) -> Signed {
        let (amzDate, day) = Self.timestamps(date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if signsContentHash { added.append(("x-amz-content-sha256", payloadSHA256)) }
        var unsigned: [(name: String, value: String)] = []
        if let token = credentials.sessionToken {
            if omitsSessionTokenFromSignature {
                unsigned.append(("X-Amz-Security-Token", token))
            } else {
                added.append(("X-Amz-Security-Token", token))
            }
        }

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers + added)
        let canonicalRequest = [
            request.method,
            canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            payloadSHA256,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256Hex.of(canonicalRequest)].joined(separator: "\n")
        var key = HMACSHA256.mac(key: Array("AWS4\(credentials.secretAccessKey)".utf8), data: Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = HMACSHA256.mac(key: key, data: Array(part.utf8)) }
        let signature = SHA256Hex.hex(HMACSHA256.mac(key: key, data: Array(stringToSign.utf8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signed(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, authorization: authorization,
            headers: added + unsigned + [("Authorization", authorization)])
    }

    // MARK: - Canonical parts

    func canonicalURI(_ path: String) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if normalizesPath {
            // RFC 3986 dot segments removed, empty segments (double slashes) dropped, a trailing slash kept.
            var kept: [String] = []
            for segment in segments {
                switch segment {
                case "", ".": continue
                case "..": _ = kept.popLast()
                default: kept.append(segment)
                }
            }
            let trailing = path.hasSuffix("/") && !kept.isEmpty
            segments = [""] + kept + (trailing ? [""] : [])
            if segments == [""] { segments = ["", ""] }
        }
        let encoded = segments.map(Self.encode).joined(separator: "/")
        return encoded.isEmpty ? "/" : encoded
    }

    static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = items.map { (name: encode($0.name), value: encode($0.value)) }
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { pair -> String in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// Lowercase names in order, values trimmed with runs of white space as one space, repeated
    /// names joined by commas in the order given.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let folded = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            values[name.lowercased(), default: []].append(folded)
        }
        let names = values.keys.sorted()
        let canonical = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// SigV4's URI encoding: unreserved bytes stay, every other byte becomes `%XX` (upper case).
    public static func encode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `20150830T123600Z` and `20150830`, in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
        return (day + String(format: "T%02d%02d%02dZ", c.hour!, c.minute!, c.second!), day)
    }
}

/// HMAC-SHA256 from libcrypto's one-shot `HMAC()`.
enum HMACSHA256 {
    static func mac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.bindMemory(to: UInt8.self).baseAddress, d.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }
}
