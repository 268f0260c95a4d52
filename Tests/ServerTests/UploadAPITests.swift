import Akte
import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// The upload API against the real `posteingang serve` binary on loopback, called with curl.
@Suite(.serialized, .tags(.process), .slow) struct UploadAPITests {
    /// A data directory with the case register imported and a running server.
    struct Setup {
        let dataDir: URL
        let server: ServerProcess

        init(_ name: String, arguments: [String] = []) throws {
            dataDir = try TestKit.temporaryDirectory(name)
            let imported = try TestKit.run(["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path])
            guard imported.status == 0 else { throw TestKitError("cases import failed: \(imported.stderr)") }
            server = try ServerProcess(dataDir: dataDir, arguments: arguments)
        }

        var uploads: String { server.base + "/api/v1/uploads" }
        func token(_ client: String, caseID: String? = nil, rate: Int = 600) throws -> String {
            try ServerTestSupport.token(dataDir: dataDir, client: client, caseID: caseID, rate: rate)
        }
        func akte() throws -> SQLiteAkte { try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path) }

        /// Follows the status URL until the upload is no longer received/processing.
        func finalStatus(_ id: String, token: String, timeout: Double = 300) throws -> HTTP.Answer {
            var last = try HTTP.get(server.base + "/api/v1/uploads/\(id)", token: token)
            _ = try eventually(timeout: timeout) {
                last = try HTTP.get(server.base + "/api/v1/uploads/\(id)", token: token)
                let state = last.json["status"] as? String
                return state != "received" && state != "processing"
            }
            return last
        }

        /// Files anywhere in the spool's inbox and the API's staging folder (hidden ones too).
        func spoolLeftovers() -> [String] {
            let spool = dataDir.appendingPathComponent("spool")
            return ["inbox", "api-staging"].flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent(folder).path)) ?? []).map { "\(folder)/\($0)" }
            }
        }
    }

    @Test("every fixture, uploaded as multipart and raw by turns, is accepted with 202, followed to filed, and is in the E-Akte under the client's channel")
    func uploadsAreFiled() throws {
        let setup = try Setup("api-filing")
        let token = try setup.token("jobcenter-app")
        // Every labelled fixture (all formats: PDF, TIFF, PNG, JPEG, HEIC, WebP; scans, photos, born-digital).
        let truth = try String(contentsOf: TestKit.fixture("truth.jsonl"), encoding: .utf8)
        let files = truth.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["file"] as? String
        }
        #expect(files.count >= 40)
        var accepted: [(file: String, id: String)] = []
        for (index, file) in files.enumerated() {
            let url = TestKit.fixture(file)
            let answer = index % 2 == 0
                ? try HTTP.postMultipart(setup.uploads, token: token, files: [url], fields: ["note": "Unterlagen \(index)"])
                : try HTTP.postRaw(setup.uploads + "?filename=\(url.lastPathComponent)", token: token, file: url, contentType: "application/octet-stream")
            #expect(answer.status == 202, "\(file): \(answer.text)")
            let id = try #require(answer.json["upload_id"] as? String)
            #expect(answer.json["status_url"] as? String == "/api/v1/uploads/\(id)")
            #expect(answer.header("Location") == "/api/v1/uploads/\(id)")
            #expect(answer.json["sha256"] as? String == (try SHA256Digest.hex(ofFileAt: url)))
            accepted.append((file, id))
        }
        let akte = try setup.akte()
        for (file, id) in accepted {
            let status = try setup.finalStatus(id, token: token)
            let state = status.json["status"] as? String
            #expect(state == "filed" || state == "needs_review", "\(file): \(status.text)")
            let message = status.json["message"] as? [String: String]
            #expect(message?["de"]?.isEmpty == false && message?["en"]?.isEmpty == false)
            let stored = try #require(try akte.uploadStatus(idOrSha: id), "\(file) has no status in the E-Akte")
            let documentID = try #require(stored.documentID, "\(file) was not filed")
            let document = try akte.document(id: documentID, viewer: "test")
            #expect(document.sha256 == (try SHA256Digest.hex(ofFileAt: TestKit.fixture(file))))
            #expect(document.channel == "jobcenter-app")
        }
        #expect(setup.spoolLeftovers().isEmpty, "\(setup.spoolLeftovers())")
    }

    @Test("several page files of one document become one upload: one PDF with a page per file, filed as one document")
    func multiFileUploadIsOneDocument() throws {
        let setup = try Setup("api-multi")
        let token = try setup.token("scan-portal")
        let pages = ["digital/lohnabrechnung_01.pdf", "scan/lohnabrechnung_05.png", "photo/lohnabrechnung_04.jpg"].map(TestKit.fixture)
        let answer = try HTTP.postMultipart(setup.uploads, token: token, files: pages)
        #expect(answer.status == 202, "\(answer.text)\nserver log: \(setup.server.output.suffix(3000))")
        #expect(answer.json["files"] as? Int == 3)
        let id = try #require(answer.json["upload_id"] as? String)
        let status = try setup.finalStatus(id, token: token)
        #expect(["filed", "needs_review"].contains(status.json["status"] as? String), "\(status.text)")
        let akte = try setup.akte()
        let documentID = try #require(try akte.uploadStatus(idOrSha: id)?.documentID)
        let document = try akte.document(id: documentID, viewer: "test")
        let firstPDFPages = try TestKit.pdfPageCount(pages[0])
        #expect(document.pageCount == firstPDFPages + 2)
        #expect(document.format == "pdf")
        // The page files as sent are kept unchanged in the blob store.
        let blobs = FolderBlobStore(root: setup.dataDir.appendingPathComponent("blobs"))
        for page in pages {
            #expect(try blobs.contains(sha256: SHA256Digest.hex(ofFileAt: page)), "\(page.lastPathComponent) not kept")
        }
        let upload = try #require(try akte.apiUpload(id: id))
        #expect(upload.parts.map(\.format) == ["pdf", "png", "jpeg"])
    }

    @Test("bad and missing tokens, a foreign case, oversize, wrong type, broken multipart, an empty file and a rate overrun each get their answer and leave nothing behind")
    func refusals() throws {
        let setup = try Setup("api-refusals", arguments: ["--max-upload-mib", "1"])
        let token = try setup.token("jobcenter-app")
        let bound = try setup.token("buerger-app", caseID: "96301BG0012345")
        let slow = try setup.token("slow-client", rate: 2)
        let pdf = TestKit.fixture("digital/lohnabrechnung_01.pdf")
        let work = try TestKit.temporaryDirectory("api-refusal-files")

        // 401 with WWW-Authenticate: none, malformed, unknown, revoked.
        for header in [nil, "Basic dXNlcjpwYXNz", "Bearer pst_" + String(repeating: "0", count: 64)] as [String?] {
            var arguments = [setup.uploads, "-X", "POST", "--data-binary", "@\(pdf.path)"]
            if let header { arguments += ["-H", "Authorization: \(header)"] }
            let answer = try HTTP.curl(arguments)
            #expect(answer.status == 401)
            #expect(answer.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(answer.json["code"] as? String == "unauthorized")
        }
        let revoked = try setup.token("old-client")
        let tokenID = try #require(try setup.akte().apiTokens().first { $0.client == "old-client" }?.id)
        #expect(try TestKit.run(["tokens", "revoke", "--data-dir", setup.dataDir.path, tokenID]).status == 0)
        #expect(try HTTP.postRaw(setup.uploads, token: revoked, file: pdf, contentType: "application/pdf").status == 401)

        // 403: a token bound to one household names another.
        let foreign = try HTTP.postMultipart(setup.uploads, token: bound, files: [pdf], fields: ["case": "96302BG0004711"])
        #expect(foreign.status == 403)
        #expect(foreign.json["code"] as? String == "case_not_allowed")

        // 413: over the limit, announced (Content-Length) and streamed (chunked, no length).
        let big = work.appendingPathComponent("big.pdf")
        var bigData = try Data(contentsOf: pdf)
        bigData.append(Data(repeating: 0x20, count: 1_200_000))
        try bigData.write(to: big)
        let oversize = try HTTP.postRaw(setup.uploads, token: token, file: big, contentType: "application/pdf")
        #expect(oversize.status == 413)
        #expect(oversize.json["code"] as? String == "too_large")
        let chunked = try HTTP.postRaw(setup.uploads, token: token, file: big, contentType: "application/pdf", headers: ["Transfer-Encoding": "chunked"])
        #expect(chunked.status == 413)
        let oversizeMultipart = try HTTP.postMultipart(setup.uploads, token: token, files: [big])
        #expect(oversizeMultipart.status == 413)

        // 415: the content decides, not the header; the message names the accepted types.
        let gif = TestKit.fixture("bad/animation.gif")
        for answer in [
            try HTTP.postRaw(setup.uploads, token: token, file: gif, contentType: "image/jpeg"),
            try HTTP.postMultipart(setup.uploads, token: token, files: [gif]),
        ] {
            #expect(answer.status == 415)
            let message = answer.json["message"] as? [String: String]
            #expect(message?["en"]?.contains("JPEG, PNG, TIFF, WebP, HEIC and PDF") == true, "\(answer.text)")
            #expect(message?["de"]?.contains("image/gif") == true)
        }

        // 400: broken multipart bodies and an empty file.
        let broken = work.appendingPathComponent("broken.body")
        try Data("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 truncated".utf8).write(to: broken)
        let truncated = try HTTP.postRaw(setup.uploads, token: token, file: broken, contentType: "multipart/form-data; boundary=XYZ")
        #expect(truncated.status == 400)
        #expect(truncated.json["code"] as? String == "malformed_multipart")
        let noBoundary = try HTTP.postRaw(setup.uploads, token: token, file: broken, contentType: "multipart/form-data")
        #expect(noBoundary.status == 400)
        let wrongBoundary = try HTTP.postRaw(setup.uploads, token: token, file: broken, contentType: "multipart/form-data; boundary=OTHER")
        #expect(wrongBoundary.status == 400)
        let unknownField = try HTTP.postMultipart(setup.uploads, token: token, files: [pdf], fields: ["password": "x"])
        #expect(unknownField.status == 400)
        // Each language on its own: no English reason inside the German message.
        for answer in [truncated, noBoundary, wrongBoundary, unknownField] {
            let message = answer.json["message"] as? [String: String]
            let german = message?["de"] ?? ""
            #expect(german.hasPrefix("Der multipart/form-data-Inhalt ist fehlerhaft"), "\(answer.text)")
            for english in ["the ", " is ", " has ", "no ", "unknown", "accepted", "missing"] {
                #expect(!german.contains(english), "English '\(english)' in: \(german)")
            }
            #expect(message?["en"]?.hasPrefix("The multipart/form-data body is malformed") == true)
        }
        let empty = work.appendingPathComponent("empty.pdf")
        try Data().write(to: empty)
        let emptyAnswer = try HTTP.postMultipart(setup.uploads, token: token, files: [empty])
        #expect(emptyAnswer.status == 400)
        #expect(emptyAnswer.json["code"] as? String == "empty_file")

        // 429 with Retry-After after the token's rate (2/min); a replayed answer does not count.
        let key = ["Idempotency-Key": "rate-\(UUID().uuidString)"]
        #expect(try HTTP.postRaw(setup.uploads, token: slow, file: pdf, contentType: "application/pdf", headers: key).status == 202)
        let replayed = try HTTP.postRaw(setup.uploads, token: slow, file: pdf, contentType: "application/pdf", headers: key)
        #expect(replayed.status == 202 && replayed.header("Idempotent-Replayed") == "true")
        #expect(try HTTP.postRaw(setup.uploads, token: slow, file: pdf, contentType: "application/pdf").status == 202)
        let limited = try HTTP.postRaw(setup.uploads, token: slow, file: pdf, contentType: "application/pdf")
        #expect(limited.status == 429)
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)

        // Nothing half-written: no staging files, nothing in the inbox but the two accepted
        // uploads (or already taken by the daemon), no records of refused requests.
        let staged = setup.spoolLeftovers().filter { $0.hasPrefix("api-staging/") }
        #expect(staged.isEmpty, "\(staged)")
        #expect(try setup.akte().apiUploadCount() == 2)
        let inboxNames = setup.spoolLeftovers().filter { $0.hasPrefix("inbox/") }
        #expect(inboxNames.allSatisfy { $0.contains("lohnabrechnung_01") }, "\(inboxNames)")
    }

    @Test("an Idempotency-Key makes a retry return the first answer without a second upload; the same key with other content is 422")
    func idempotency() throws {
        let setup = try Setup("api-idempotency")
        let token = try setup.token("partner-portal")
        let other = try setup.token("other-portal")
        let pdf = TestKit.fixture("digital/kontoauszug_01.pdf")
        let key = UUID().uuidString
        let first = try HTTP.postMultipart(setup.uploads, token: token, files: [pdf], fields: ["note": "a"], headers: ["Idempotency-Key": key])
        #expect(first.status == 202)
        // curl picks a new boundary: the same content framed differently is still a retry.
        let retry = try HTTP.postMultipart(setup.uploads, token: token, files: [pdf], fields: ["note": "a"], headers: ["Idempotency-Key": key])
        #expect(retry.status == 202)
        #expect(retry.header("Idempotent-Replayed") == "true")
        #expect(retry.json["upload_id"] as? String == first.json["upload_id"] as? String)
        #expect(retry.body == first.body)
        let changed = try HTTP.postMultipart(
            setup.uploads, token: token, files: [TestKit.fixture("digital/kontoauszug_02.pdf")], fields: ["note": "a"],
            headers: ["Idempotency-Key": key])
        #expect(changed.status == 422)
        #expect(changed.json["code"] as? String == "idempotency_key_reused")
        // Keys are per token: another client's same key is its own upload.
        let otherClient = try HTTP.postMultipart(setup.uploads, token: other, files: [pdf], fields: ["note": "a"], headers: ["Idempotency-Key": key])
        #expect(otherClient.status == 202)
        #expect(otherClient.json["upload_id"] as? String != first.json["upload_id"] as? String)
        #expect(try setup.akte().apiUploadCount() == 2)

        // While the first request with a key is still arriving (sent slowly), a second one with the
        // same key gets 409 and Retry-After, not a second upload; the first then gets its 202.
        let slowKey = UUID().uuidString
        let slowBody = setup.dataDir.appendingPathComponent("slow.pdf")
        var padded = try Data(contentsOf: pdf)
        padded.append(Data(repeating: 0x20, count: 400_000))
        try padded.write(to: slowBody)
        let slowAnswer = setup.dataDir.appendingPathComponent("slow-answer.json")
        let slowLog = setup.dataDir.appendingPathComponent("slow-sender.log")
        let slowSender = try ChildProcess("curl", [
            "-s", "-o", slowAnswer.path, "-w", "%{http_code}", "--limit-rate", "100k", "-X", "POST", setup.uploads,
            "-H", "Authorization: Bearer \(token)", "-H", "Idempotency-Key: \(slowKey)", "-H", "Content-Type: application/pdf",
            "--data-binary", "@\(slowBody.path)",
        ]).start(log: slowLog)
        usleep(1_000_000)
        let meanwhile = try HTTP.postRaw(setup.uploads, token: token, file: slowBody, contentType: "application/pdf", headers: ["Idempotency-Key": slowKey])
        #expect(meanwhile.status == 409)
        #expect(meanwhile.json["code"] as? String == "idempotency_key_in_use")
        #expect(meanwhile.header("Retry-After") != nil)
        slowSender.wait(timeout: 120)
        #expect(slowSender.output == "202")
        #expect(try setup.akte().apiUploadCount() == 3)

        let id = try #require(first.json["upload_id"] as? String)
        #expect(["filed", "needs_review"].contains(try setup.finalStatus(id, token: token).json["status"] as? String))
        #expect(setup.spoolLeftovers().filter { $0.hasPrefix("api-staging/") }.isEmpty)
    }

    @Test("the status is shown only to the client that uploaded; unknown and foreign ids are the same 404; a refused upload says refused with a reason in German and English")
    func statusIsPrivateAndRefusalsAreExplained() throws {
        let setup = try Setup("api-status")
        let household = try setup.token("buerger-app", caseID: "96301BG0012345")
        let neighbour = try setup.token("buerger-app", caseID: "96301BG0012388")
        let stranger = try setup.token("other-app")
        // Every bad fixture gets an answer: refused at once (400/415) or accepted and then refused
        // or sent to review by the pipeline; none is filed.
        let badFolder = TestKit.fixture("bad")
        for name in try FileManager.default.contentsOfDirectory(atPath: badFolder.path).sorted() {
            let answer = try HTTP.postMultipart(setup.uploads, token: household, files: [badFolder.appendingPathComponent(name)])
            #expect([202, 400, 415].contains(answer.status), "\(name): \(answer.text)")
            if answer.status != 202 {
                #expect((answer.json["message"] as? [String: String])?["de"]?.isEmpty == false)
                continue
            }
            let id = try #require(answer.json["upload_id"] as? String)
            let final = try setup.finalStatus(id, token: household)
            #expect(["refused", "needs_review"].contains(final.json["status"] as? String), "\(name): \(final.text)")
        }
        // A JPEG with no usable image data (a cut one with enough is read and sent to review).
        let damaged = TestKit.fixture("bad/no-image-data.jpg")
        let answer = try HTTP.postRaw(setup.uploads, token: household, file: damaged, contentType: "image/jpeg")
        #expect(answer.status == 202, "\(answer.text)")
        let id = try #require(answer.json["upload_id"] as? String)

        let status = try setup.finalStatus(id, token: household)
        #expect(status.json["status"] as? String == "refused", "\(status.text)")
        #expect(status.json["reason_code"] as? String != nil)
        let message = try #require(status.json["message"] as? [String: String])
        #expect(message["de"]?.contains("Bitte senden Sie") == true, "\(message)")
        #expect(message["en"]?.contains("Please send") == true)

        let unknown = try HTTP.get(setup.server.base + "/api/v1/uploads/u-00000000000000000000", token: household)
        #expect(unknown.status == 404)
        for token in [neighbour, stranger] {
            let foreign = try HTTP.get(setup.server.base + "/api/v1/uploads/\(id)", token: token)
            #expect(foreign.status == 404)
            #expect(foreign.body == unknown.body)
        }
        #expect(try HTTP.get(setup.server.base + "/api/v1/uploads/\(id)", token: nil).status == 401)
    }

    @Test("uploads answered 202 survive a kill -9 of the server right after: after a restart every one is filed, and the upload cut off by the kill leaves nothing")
    func acceptedIsNeverLost() throws {
        // HTTP only at first, so that nothing is filed before the kill: what survives is only what
        // the 202 promised, the spool entries.
        let setup = try Setup("api-crash", arguments: ["--no-daemon"])
        let token = try setup.token("scanner")
        let work = try TestKit.temporaryDirectory("api-crash-files")
        var ids: [String] = []
        for serial in 0..<6 {
            let file = work.appendingPathComponent("payslip-\(serial).pdf")
            try TestKit.payslip(serial: serial, salutation: "Herrn", name: "Peter Schmidt", street: "Lindenstrasse 12", city: "44137 Dortmund").write(to: file)
            let answer = try HTTP.postRaw(setup.uploads, token: token, file: file, contentType: "application/pdf")
            #expect(answer.status == 202)
            ids.append(try #require(answer.json["upload_id"] as? String))
        }
        // One more upload is still arriving (sent slowly) when the server is killed: it was never
        // answered, so it must leave no trace after the restart.
        let slowBody = work.appendingPathComponent("slow.pdf")
        var padded = TestKit.payslip(serial: 99, salutation: "Herrn", name: "Peter Schmidt", street: "Lindenstrasse 12", city: "44137 Dortmund")
        padded.append(Data(repeating: 0x20, count: 400_000))
        try padded.write(to: slowBody)
        let slowSender = try ChildProcess("curl", [
            "-s", "-o", "/dev/null", "--limit-rate", "50k", "-X", "POST", setup.uploads, "-H", "Authorization: Bearer \(token)",
            "-H", "Content-Type: application/pdf", "--data-binary", "@\(slowBody.path)",
        ]).start(log: work.appendingPathComponent("slow-sender.log"))
        let staging = setup.dataDir.appendingPathComponent("spool/api-staging")
        #expect(eventually(timeout: 10) { ((try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []).count == 1 })
        setup.server.kill9()
        slowSender.wait(timeout: 120)
        let inbox = try FileManager.default.contentsOfDirectory(atPath: setup.dataDir.appendingPathComponent("spool/inbox").path)
        #expect(inbox.filter { $0.hasSuffix(".pdf") }.count == 6)
        #expect(inbox.filter { $0.hasSuffix(".json") }.count == 6)
        let restarted = try ServerProcess(dataDir: setup.dataDir, port: setup.server.port)
        _ = restarted
        for id in ids {
            let status = try setup.finalStatus(id, token: token)
            #expect(["filed", "needs_review"].contains(status.json["status"] as? String), "\(id): \(status.text)")
        }
        #expect(try setup.akte().apiUploadCount() == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging.path).isEmpty)
        #expect(setup.spoolLeftovers().isEmpty, "\(setup.spoolLeftovers())")
    }

    @Test("the OpenAPI document is served without a token and is a valid OpenAPI 3 document naming every route")
    func openAPIDocument() throws {
        let setup = try Setup("api-openapi")
        let answer = try HTTP.get(setup.server.base + "/api/v1/openapi.yaml")
        #expect(answer.status == 200)
        #expect(answer.text.hasPrefix("openapi: 3"))
        for path in ["/api/v1/uploads:", "/api/v1/uploads/{id}:", "/api/v1/health:", "/api/v1/openapi.yaml:"] {
            #expect(answer.text.contains(path))
        }
        for status in ["\"202\"", "\"400\"", "\"401\"", "\"403\"", "\"404\"", "\"409\"", "\"413\"", "\"415\"", "\"422\"", "\"429\""] {
            #expect(answer.text.contains(status), "\(status) not described")
        }
        let file = setup.dataDir.appendingPathComponent("openapi.yaml")
        try answer.body.write(to: file)
        if try TestKit.run("python3", ["-c", "import openapi_spec_validator"]).status == 0 {
            let check = try TestKit.run("python3", ["-m", "openapi_spec_validator", file.path])
            #expect(check.status == 0, "openapi-spec-validator rejected the document: \(check.stdout) \(check.stderr)")
        }
    }
}
