import Foundation
import PosteingangTestKit
import Testing

/// `serve --blobs s3://…` against a real SeaweedFS: the caseworkers' pages read originals and
/// render page images from the bucket (nothing lands in the local folders), and say so in German
/// when the store is away.
@Suite("Caseworkers' pages with blobs in S3", .serialized, .tags(.process, .seaweedfs), .slow)
struct WebBlobsInS3Tests {
    @Test("original and thumbnail come from the bucket; with SeaweedFS down the original answers 503 in German")
    func pagesFromS3() throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        // The bucket: made by the blob benchmark's --create-bucket (one tiny blob).
        let made = try TestKit.run(
            [
                "blobs", "benchmark", "--data-dir", weed.folder.appendingPathComponent("bench").path, "--blobs", weed.address,
                "--count", "1", "--size-mib", "0.001", "--create-bucket",
            ], environment: ProcessInfo.processInfo.environment.merging(weed.environment) { $1 })
        try #require(made.status == 0, "\(made.stderr)")

        let server = try WebServer(extraArguments: ["--blobs", weed.address], environment: weed.environment)
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let document = try #require(ids["lohn.pdf"])
        let client = WebClient(server: server)
        try client.login("anna")

        let original = try client.get("/dokumente/\(document)/original")
        #expect(original.status == 200)
        #expect(original.body == WebTestSupport.payslip)
        let thumbnail = try client.get("/dokumente/\(document)/vorschau")
        #expect(thumbnail.status == 200)
        #expect(thumbnail.body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        // Neither the original nor the rendered image is in the local folders.
        for folder in ["blobs", "cache/pages"] {
            let path = server.dataDir.appendingPathComponent(folder).path
            let files = ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).filter {
                !$0.hasPrefix(".") && ($0.hasSuffix(".png") || $0.count > 60)
            }
            #expect(files.isEmpty, "\(folder): \(files)")
        }
        // The image is cached in the bucket: served again while the local cache stays empty.
        #expect(try client.get("/dokumente/\(document)/vorschau").body == thumbnail.body)

        weed.kill()
        let away = try client.get("/dokumente/\(document)/original")
        #expect(away.status == 503)
        #expect(away.text.contains("Dokumentspeicher nicht erreichbar"))
        #expect(away.text.contains("„posteingang“"))
    }
}
