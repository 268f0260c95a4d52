import Akte
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A `BlobStore` in an S3-compatible object store (SeaweedFS, MinIO, Ceph RGW, AWS S3): the same
/// keys as the folder (`[PREFIX/]sha256/ab/abcdef…`, `cache/pages/NAME`), path-style addressing,
/// every request signed with `SignatureV4` over the real SHA-256 of its body.
///
/// A put asks first (`HEAD`) and writes only what is absent, with `If-None-Match: *` so that a
/// store that knows conditional writes never replaces an object (a `412` then means "already
/// there", which is all we want). Every read is checked against its name. One `HTTPClient` per
/// store, on NIO's shared event loops; everything here is `async` (no thread waits on the network),
/// and `shutdown()` ends it.
public final class S3BlobStore: BlobStore {
    public let address: S3Location
    let signer: SignatureV4
    let client: HTTPClient
    /// Seconds a request may take at most (a 20 MB upload on a slow link included).
    let requestTimeout: Int64
    /// Tries of a request that did not reach the store (connection refused or reset).
    let attempts: Int
    private let ended = Atomic<Bool>(false)

    public init(location: S3Location, credentials: SignatureV4.Credentials, requestTimeout: Int64 = 120, attempts: Int = 3) {
        self.address = location
        self.signer = .s3(credentials: credentials, region: location.region)
        self.requestTimeout = requestTimeout
        self.attempts = max(1, attempts)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3), read: .seconds(60)))
        configuration.decompression = .disabled
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public var location: String { address.description }

    /// Ends the HTTP client (once; later calls do nothing).
    public func shutdown() async throws {
        if ended.exchange(true, ordering: .acquiringAndReleasing) { return }
        try await client.shutdown()
    }

    /// A safety net for a path that forgot `shutdown()` (a thrown error): the client is ended
    /// without waiting, instead of tripping its check in debug builds.
    deinit {
        if !ended.load(ordering: .acquiring) { client.shutdown { _ in } }
    }

    // MARK: - BlobStore

    @discardableResult
    public func put(_ data: Data) async throws -> String {
        let sha = SHA256Hex.of(data)
        let key = address.key(try BlobKey.of(sha256: sha))
        if try await exists(key) { return sha }
        let response = try await send(
            "PUT", key: key, body: data, payloadSHA256: sha,
            headers: [("Content-Type", "application/octet-stream"), ("If-None-Match", "*")])
        switch response.status {
        case 200, 201, 204, 412:  // 412: someone stored the same bytes meanwhile
            return sha
        default:
            throw failure("PUT", key: key, response)
        }
    }

    @discardableResult
    public func put(fileAt url: URL) async throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw AkteError.fileSystem(operation: "read", path: url.path, errno: missing ? ENOENT : EACCES)
        }
        return try await put(data)
    }

    public func contains(sha256: String) async throws -> Bool {
        try await exists(address.key(try BlobKey.of(sha256: sha256)))
    }

    public func read(sha256: String) async throws -> Data {
        let key = address.key(try BlobKey.of(sha256: sha256))
        let response = try await send("GET", key: key)
        switch response.status {
        case 200:
            let actual = SHA256Hex.of(response.body)
            guard actual == sha256 else {
                throw AkteError.blobCorrupted(sha256: sha256, actualSha256: actual, path: try locator(for: sha256))
            }
            return response.body
        case 404 where response.errorCode != "NoSuchBucket":
            throw AkteError.blobMissing(sha256: sha256, path: try locator(for: sha256))
        default:
            throw failure("GET", key: key, response)
        }
    }

    public func locator(for sha256: String) throws -> String {
        "s3://\(address.bucket)/\(address.key(try BlobKey.of(sha256: sha256))) at \(address.endpoint.absoluteString)"
    }

    public func localFile(for sha256: String) throws -> URL? {
        _ = try BlobKey.of(sha256: sha256)
        return nil
    }

    public func cachedImage(named name: String) async throws -> Data? {
        let key = address.key(try BlobKey.ofImage(named: name))
        let response = try await send("GET", key: key)
        switch response.status {
        case 200: return response.body
        case 404 where response.errorCode != "NoSuchBucket": return nil
        default: throw failure("GET", key: key, response)
        }
    }

    public func cacheImage(_ data: Data, named name: String) async throws {
        let key = address.key(try BlobKey.ofImage(named: name))
        let response = try await send(
            "PUT", key: key, body: data, payloadSHA256: SHA256Hex.of(data), headers: [("Content-Type", "image/png")])
        guard (200..<300).contains(response.status) else { throw failure("PUT", key: key, response) }
    }

    /// Nothing to clean: an interrupted upload leaves no object behind.
    public func removeStaleTemporaries() -> Int { 0 }

    // MARK: - Bucket

    /// Checks that the store answers and the bucket is there (creating it when `create` is set);
    /// call at start, so that a wrong address or key fails at once, not at the first upload.
    public func prepare(create: Bool = false) async throws {
        let response = try await send("HEAD", key: nil)
        switch response.status {
        case 200: return
        case 404 where create:
            let made = try await send("PUT", key: nil)
            guard (200..<300).contains(made.status) || made.errorCode == "BucketAlreadyOwnedByYou" else {
                throw failure("PUT bucket", key: nil, made)
            }
        case 404:
            throw S3Failure(
                address: address, operation: "HEAD bucket", key: nil,
                problem: .refused(status: 404, code: "NoSuchBucket", message: "create the bucket first"))
        default:
            // A HEAD answer has no body: ask again with a GET for S3's error code and message.
            let detailed = try await send("GET", key: nil, query: [("list-type", "2"), ("max-keys", "0")])
            throw failure("HEAD bucket", key: nil, detailed.status == response.status ? detailed : response)
        }
    }

    /// The keys under `prefix` (inside the store's own prefix), all pages of ListObjectsV2.
    public func keys(under prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", address.key(prefix))]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", key: nil, query: query)
            guard response.status == 200 else { throw failure("LIST \(prefix)", key: nil, response) }
            let text = String(decoding: response.body, as: UTF8.self)
            for part in text.components(separatedBy: "<Key>").dropFirst() {
                if let end = part.range(of: "</Key>") { keys.append(String(part[..<end.lowerBound])) }
            }
            token = Response.element("NextContinuationToken", in: response.body)
        } while token != nil
        return keys
    }

    // MARK: - HTTP

    struct Response {
        var status: UInt
        var headers: HTTPHeaders
        var body: Data

        /// `<Code>` of an S3 error document.
        var errorCode: String? { Self.element("Code", in: body) }
        var errorMessage: String? { Self.element("Message", in: body) }

        static func element(_ name: String, in body: Data) -> String? {
            let text = String(decoding: body.prefix(65536), as: UTF8.self)
            guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
            else { return nil }
            return String(text[start.upperBound..<end.lowerBound])
        }
    }

    private func exists(_ key: String) async throws -> Bool {
        let response = try await send("HEAD", key: key)
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw failure("HEAD", key: key, response)
        }
    }

    /// One signed request, tried again (up to `attempts`, 0.2 s, 0.4 s apart) after a transport
    /// error that is `worthRetrying`; an answer of the store, whatever its status, is returned as it is.
    func send(
        _ method: String, key: String?, query: [(name: String, value: String)] = [], body: Data? = nil,
        payloadSHA256: String = SignatureV4.emptyPayloadSHA256, headers extra: [(name: String, value: String)] = []
    ) async throws -> Response {
        let path = "/" + address.bucket + (key.map { "/" + $0 } ?? "")
        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false).map { SignatureV4.encode(String($0)) }
            .joined(separator: "/")
        var signedHeaders: [(name: String, value: String)] = [("Host", address.hostHeader)] + extra
        if let body { signedHeaders.append(("Content-Length", "\(body.count)")) }
        var lastError: any Error = CancellationError()
        for attempt in 1...attempts {
            if attempt > 1 { try await Task.sleep(nanoseconds: UInt64(attempt - 1) * 200_000_000) }
            let signed = signer.sign(
                .init(method: method, path: path, query: query, headers: signedHeaders), payloadSHA256: payloadSHA256, date: Date())
            let queryString = query.isEmpty ? "" : "?" + SignatureV4.canonicalQuery(query)
            var request = HTTPClientRequest(url: address.endpoint.absoluteString + encodedPath + queryString)
            request.method = HTTPMethod(rawValue: method)
            for (name, value) in signedHeaders where name != "Content-Length" { request.headers.add(name: name, value: value) }
            for (name, value) in signed.headers { request.headers.add(name: name, value: value) }
            // Sent from `body` (for a file: its mapped pages) in chunks of ~4 MB, not copied whole.
            if let body { request.body = .bytes(body) }
            do {
                let response = try await client.execute(request, timeout: .seconds(requestTimeout))
                let bytes = try await response.body.collect(upTo: method == "HEAD" ? 0 : Int.max)
                return Response(status: response.status.code, headers: response.headers, body: Data(bytes.readableBytesView))
            } catch {
                lastError = error
                guard Self.worthRetrying(error) else { break }
            }
        }
        throw S3Failure(address: address, operation: method, key: key, problem: .unreachable(Self.explain(lastError)))
    }

    private func failure(_ operation: String, key: String?, _ response: Response) -> S3Failure {
        S3Failure(
            address: address, operation: operation, key: key,
            problem: .refused(
                status: response.status, code: response.errorCode ?? "",
                message: response.errorMessage ?? String(decoding: response.body.prefix(200), as: UTF8.self)))
    }

    /// Every request here may be repeated (content-addressed puts, reads): a transport error is
    /// tried again (a pooled connection the store closed meanwhile), but not a refused connection
    /// or a timeout: the client's pool already kept trying to connect for its connect timeout.
    static func worthRetrying(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError, [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) { return false }
        let text = "\(error)"
        return !(error is CancellationError) && !text.contains("onnection refused") && !text.contains("connectionRefused")
    }

    static func explain(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("onnection refused") || text.contains("connectionRefused") {
            return "connection refused (is the store running, and is the endpoint right?)"
        }
        if let error = error as? HTTPClientError, [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return "timed out (\(error))"
        }
        return text
    }
}
