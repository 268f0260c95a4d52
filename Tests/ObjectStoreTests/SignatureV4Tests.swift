import Akte
import Foundation
import Testing

@testable import ObjectStore

/// AWS's SigV4 test suite (Resources/aws-sig-v4-test-suite, from awslabs/aws-c-auth, Apache-2.0):
/// for every case, the canonical request, the string to sign, the signature and the
/// `Authorization` header must come out exactly as published.
@Suite("Signature V4")
struct SignatureV4Tests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/aws-sig-v4-test-suite", isDirectory: true)

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/request.txt").path) }.sorted()
    }()

    @Test("the suite is there, with the cases the brief names")
    func suitePresent() {
        #expect(Self.cases.count >= 30)
        for name in ["get-vanilla", "get-vanilla-query-order-key-case", "post-vanilla", "get-header-key-duplicate"] {
            #expect(Self.cases.contains(name))
        }
    }

    @Test("canonical request, string to sign, signature and Authorization as AWS publishes them", arguments: cases)
    func vector(_ name: String) throws {
        let directory = Self.folder.appendingPathComponent(name, isDirectory: true)
        func text(_ file: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) }
        let context = try JSONDecoder().decode(Context.self, from: try Data(contentsOf: directory.appendingPathComponent("context.json")))
        let (request, body) = try Self.parse(try text("request.txt"))
        let signer = SignatureV4(
            credentials: .init(
                accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
                sessionToken: context.credentials.token),
            region: context.region, service: context.service, normalizesPath: context.normalize, signsContentHash: context.sign_body,
            omitsSessionTokenFromSignature: context.omit_session_token ?? false)
        let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))

        let signed = signer.sign(request, payloadSHA256: SHA256Hex.of(body), date: date)

        #expect(signed.canonicalRequest == (try text("header-canonical-request.txt")))
        #expect(signed.stringToSign == (try text("header-string-to-sign.txt")))
        #expect(signed.signature == (try text("header-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
        let published = try text("header-signed-request.txt").split(separator: "\n")
            .first { $0.hasPrefix("Authorization:") }.map { String($0.dropFirst("Authorization:".count)) }
        #expect(signed.authorization == published)
    }

    @Test("a changed secret, region, date or body changes the signature")
    func sensitivity() {
        let request = SignatureV4.Request(method: "PUT", path: "/bucket/sha256/ab/key", headers: [("Host", "127.0.0.1:8333")])
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let base = SignatureV4.s3(credentials: .init(accessKeyID: "AK", secretAccessKey: "secret"), region: "us-east-1")
        let reference = base.sign(request, payloadSHA256: SignatureV4.emptyPayloadSHA256, date: date).signature
        var otherSecret = base
        otherSecret.credentials.secretAccessKey = "secret2"
        var otherRegion = base
        otherRegion.region = "eu-central-1"
        #expect(otherSecret.sign(request, payloadSHA256: SignatureV4.emptyPayloadSHA256, date: date).signature != reference)
        #expect(otherRegion.sign(request, payloadSHA256: SignatureV4.emptyPayloadSHA256, date: date).signature != reference)
        #expect(base.sign(request, payloadSHA256: SignatureV4.emptyPayloadSHA256, date: date + 1).signature != reference)
        let signed = base.sign(request, payloadSHA256: SHA256Hex.of(Data("x".utf8)), date: date)
        #expect(signed.signature != reference)
        // S3 signs the real payload hash in x-amz-content-sha256, never UNSIGNED-PAYLOAD.
        #expect(signed.headers.contains { $0.name == "x-amz-content-sha256" && $0.value == SHA256Hex.of(Data("x".utf8)) })
        #expect(signed.canonicalRequest.hasSuffix("\n" + SHA256Hex.of(Data("x".utf8))))
    }

    // MARK: - The suite's files

    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    /// `request.txt`: request line, headers (a line starting with white space continues the
    /// previous one), an empty line, the body.
    static func parse(_ text: String) throws -> (SignatureV4.Request, Data) {
        var head = text
        var body = ""
        if let blank = text.range(of: "\n\n") {
            head = String(text[..<blank.lowerBound])
            body = String(text[blank.upperBound...])
        }
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        // The target may contain spaces ("GET /example space/ HTTP/1.1"): method first, version last.
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            let colon = try #require(line.firstIndex(of: ":"))
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        var path = target
        var query: [(name: String, value: String)] = []
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            for item in target[target.index(after: mark)...].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                query.append((pair[0].removingPercentEncoding ?? pair[0], pair.count > 1 ? (pair[1].removingPercentEncoding ?? pair[1]) : ""))
            }
        }
        return (SignatureV4.Request(method: method, path: path, query: query, headers: headers), Data(body.utf8))
    }
}
