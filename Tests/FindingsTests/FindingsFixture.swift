import Akte
import Classification
import Foundation

@testable import Findings

/// A real E-Akte in a temporary folder with one household, and documents filed into it as the
/// pipeline files them.
final class FindingsFixture {
    static let bg = "96301BG0012345"
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The shipped pipeline.yml: its `findings:` section holds the Köln example limits.
    static let configuration: PipelineConfiguration = {
        do {
            return try PipelineConfiguration.load(from: repositoryRoot.appendingPathComponent("pipeline.yml"))
        } catch {
            fatalError("shipped pipeline.yml does not load: \(error)")
        }
    }()

    let directory: URL
    let store: SQLiteAkte
    /// The store's clock: requests are recorded and due dates judged by it.
    let clock = FixtureClock(Date(timeIntervalSince1970: 1_740_000_000))
    private var counter = 0

    /// A household of `persons` persons at `postcode`.
    init(persons: Int = 2, postcode: String = "50667") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("findings-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = self.clock
        store = try SQLiteAkte(path: directory.appendingPathComponent("akte.sqlite").path, clock: { clock.now })
        let register = (0..<persons).map { index in
            RegisterPerson(
                bgNummer: Self.bg, kundennummer: "963D12345\(index)", nachname: "Müller", vorname: "Person \(index)",
                strasse: "Domstraße 1", plz: postcode, ort: "Köln")
        }
        _ = try store.importRegister(register)
    }

    /// A SHA-256-shaped id: every filed document needs its own content hash.
    static func randomSha256() -> String {
        (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased()
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Noon (UTC) of an ISO day, as Eingangsdatum.
    static func day(_ iso: String) -> Date {
        let parts = iso.split(separator: "-").map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))!
    }

    /// Files a document of `documentClass` with `fields` into the household; returns its id.
    @discardableResult
    func file(
        _ documentClass: String, _ fields: [String: String], received: String, status: DocumentStatus = .filed,
        caseID: String? = FindingsFixture.bg
    ) throws -> String {
        counter += 1
        let outcome = try store.file(
            NewDocument(
                uploadID: "upload-\(counter)", sha256: Self.randomSha256(), originalFilename: "\(documentClass)-\(counter).pdf",
                channel: "app", receivedAt: Self.day(received), documentClass: documentClass, classConfidence: 0.95,
                status: status, caseID: caseID, pageCount: 1,
                fields: fields.sorted { $0.key < $1.key }.map { NewField(key: $0.key, value: $0.value) },
                text: "\(documentClass) \(counter)", reviewReasons: status == .filed ? [] : ["class confidence below 0.8"],
                sensitive: false, archivePDFSha256: nil, format: "pdf", detailsJSON: "{}", actor: "worker-1"))
        return outcome.documentID
    }

    /// Sets the clock to noon (UTC) of ISO day `iso`: "today" for requests.
    func setToday(_ iso: String) { clock.now = Self.day(iso) }

    /// Records a request as a caseworker enters it, on the clock's day.
    @discardableResult
    func request(
        _ documentClass: String, months: Int? = nil, from: String? = nil, to: String? = nil, due: String, note: String = ""
    ) throws -> DocumentRequest {
        let entry = RequestEntry(
            bgNummer: Self.bg, documentClass: documentClass, months: months, from: from, to: to, due: due, note: note)
        let engine = FindingsEngine(configuration: Self.configuration)
        return try store.addRequest(
            try entry.validated(by: engine, today: GermanFormat.isoDay(store.currentDate())), by: "sb-42")
    }

    /// Where the household's requests stand.
    func requestStatuses() throws -> [RequestStatus] {
        try CaseFindings.requestStatuses(
            Self.bg, in: store, engine: FindingsEngine(configuration: Self.configuration), includeClosed: true)
    }

    func findings(_ engine: FindingsEngine = FindingsEngine(configuration: FindingsFixture.configuration)) throws -> [Finding] {
        try CaseFindings.findings(Self.bg, in: store, engine: engine)
    }

    func findings(_ code: FindingCode, _ engine: FindingsEngine = FindingsEngine(configuration: FindingsFixture.configuration))
        throws -> [Finding]
    {
        try findings(engine).filter { $0.code == code }
    }
}

/// A clock the test moves: the E-Akte reads it for "now".
final class FixtureClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date

    init(_ value: Date) { self.value = value }

    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
