import Akte
import Foundation
import Testing

@testable import ObjectStore

/// `--blobs` / `POSTEINGANG_BLOBS`: what is accepted, what is refused and why, and where keys come from.
@Suite("Blob store address")
struct BlobStoreAddressTests {
    let data = URL(fileURLWithPath: "/srv/posteingang-data", isDirectory: true)

    @Test("nothing given: the folder DATA_DIR/blobs; a path: that folder; the environment counts when --blobs is absent")
    func folders() throws {
        let standard = try #require(try BlobStores.open(nil, dataDirectory: data, environment: [:]) as? FolderBlobStore)
        #expect(standard.root.path == "/srv/posteingang-data/blobs")
        #expect(standard.imageCache.path == "/srv/posteingang-data/cache/pages")
        let given = try #require(try BlobStores.open("/mnt/nas/blobs", dataDirectory: data, environment: [:]) as? FolderBlobStore)
        #expect(given.root.path == "/mnt/nas/blobs")
        let fromEnvironment = try #require(
            try BlobStores.open(nil, dataDirectory: data, environment: ["POSTEINGANG_BLOBS": "/mnt/other"]) as? FolderBlobStore)
        #expect(fromEnvironment.root.path == "/mnt/other")
        let flagWins = try #require(
            try BlobStores.open("/mnt/flag", dataDirectory: data, environment: ["POSTEINGANG_BLOBS": "/mnt/other"]) as? FolderBlobStore)
        #expect(flagWins.root.path == "/mnt/flag")
    }

    @Test("an s3:// address: bucket, prefix, endpoint without path, region (default us-east-1), keys from the environment")
    func s3Address() async throws {
        let location = try S3Location(parsing: "s3://posteingang-nrw/jc-bonn/?endpoint=http://127.0.0.1:8333&region=eu-central-1")
        #expect(location.bucket == "posteingang-nrw")
        #expect(location.prefix == "jc-bonn")
        #expect(location.endpoint.absoluteString == "http://127.0.0.1:8333")
        #expect(location.region == "eu-central-1")
        #expect(location.key("sha256/ab/abc") == "jc-bonn/sha256/ab/abc")
        #expect(try S3Location(parsing: "s3://akten").endpoint.absoluteString == "https://s3.us-east-1.amazonaws.com")
        let ipv6 = try S3Location(parsing: "s3://akten?endpoint=http://[::1]:8333")
        #expect(ipv6.endpoint.absoluteString == "http://[::1]:8333")
        #expect(ipv6.hostHeader == "[::1]:8333")

        let store = try BlobStores.open(
            "s3://akten?endpoint=http://10.0.0.5:9000", dataDirectory: data,
            environment: ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"])
        let s3 = try #require(store as? S3BlobStore)
        #expect(s3.signer.credentials == .init(accessKeyID: "AK", secretAccessKey: "SK"))
        #expect(s3.location == "s3://akten at http://10.0.0.5:9000")
        try await s3.shutdown()
    }

    @Test(
        "bad addresses are refused with what is wrong and what is accepted",
        arguments: [
            ("s3://AB?endpoint=http://h:1", "not a bucket name"),
            ("s3://akten?endpoint=ftp://h", "not an http:// or https:// address"),
            ("s3://akten?endpoint=http://h:1/path", "without a path"),
            ("s3://akten?endpoint=http://h:1&secret_key=x", "does not belong in the address"),
            ("s3://AKID:SECRET@akten?endpoint=http://h:1", "keys do not belong in the address"),
            ("s3://akten?endpoint=http://h:1&bucket=x", "unknown parameter 'bucket' (accepted: endpoint, region, credentials)"),
            ("gs://akten", "is not supported (accepted: a folder path"),
        ])
    func refused(_ value: String, _ reason: String) {
        do {
            _ = try BlobStores.open(value, dataDirectory: data, environment: ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"])
            Issue.record("'\(value)' was accepted")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
        }
    }

    @Test("keys: POSTEINGANG_S3_… before AWS_…, then a credentials file; none, or half a pair, is an error that says where to put them")
    func credentials() throws {
        let location = try S3Location(parsing: "s3://akten?endpoint=http://h:1")
        let both = try S3Credentials.resolve(
            for: location,
            environment: [
                "POSTEINGANG_S3_ACCESS_KEY_ID": "P", "POSTEINGANG_S3_SECRET_ACCESS_KEY": "PS", "AWS_ACCESS_KEY_ID": "A",
                "AWS_SECRET_ACCESS_KEY": "AS",
            ])
        #expect(both.accessKeyID == "P" && both.secretAccessKey == "PS")
        #expect(throws: S3LocationError.self) { try S3Credentials.resolve(for: location, environment: ["AWS_ACCESS_KEY_ID": "A"]) }
        do {
            _ = try S3Credentials.resolve(for: location, environment: [:])
            Issue.record("no credentials accepted")
        } catch {
            #expect("\(error)".contains("AWS_ACCESS_KEY_ID") && "\(error)".contains("credentials=FILE"))
        }

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("s3-\(UUID().uuidString).ini")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("# Posteingang\n[default]\naws_access_key_id = FILEKEY\naws_secret_access_key=FILESECRET\n".utf8).write(to: file)
        let fromFile = try S3Credentials.resolve(
            for: try S3Location(parsing: "s3://akten?endpoint=http://h:1&credentials=\(file.path)"), environment: [:])
        #expect(fromFile == .init(accessKeyID: "FILEKEY", secretAccessKey: "FILESECRET"))
        let viaEnvironment = try S3Credentials.resolve(for: location, environment: ["POSTEINGANG_S3_CREDENTIALS_FILE": file.path])
        #expect(viaEnvironment.accessKeyID == "FILEKEY")
    }
}
