import Classification
import Foundation

/// The operators' rules (pipeline.yml) and the default analyzer, loaded once.
private let analyzer: DocumentAnalyzer? = {
    let root = ProcessInfo.processInfo.environment["POSTEINGANG_ROOT"] ?? FileManager.default.currentDirectoryPath
    guard let configuration = try? PipelineConfiguration.load(from: URL(fileURLWithPath: root + "/pipeline.yml")) else { return nil }
    let register = try? CaseRegister.load(from: URL(fileURLWithPath: root + "/fixtures/cases.csv"))
    return DocumentAnalyzer(configuration: configuration, register: register, referenceDate: Date(timeIntervalSince1970: 1_740_000_000))
}()

/// libFuzzer entry: the first byte picks the parser, the rest is its input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fieldOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: bytes + 1, count: count - 1), as: UTF8.self)
    switch bytes[0] % 4 {
    case 0:
        // The rules file parser: a hostile or broken pipeline.yml must be an error, not a crash.
        _ = try? PipelineConfiguration(yaml: text, sourceName: "fuzz.yml")
    case 1:
        _ = try? CaseRegister(csv: text)
    case 2:
        _ = AmountParser.first(in: text)
        _ = AmountParser.parse(text)
        _ = DateParser.first(in: text)
        _ = DateParser.parse(text)
        _ = MonthParser.first(in: text)
        _ = IntegerParser.first(in: text)
        _ = AreaParser.first(in: text)
        _ = IBAN.first(in: text)
        _ = IBAN.isValid(text)
        _ = TextValue.normalize(text)
        _ = CaseIdentifiers.normalizeAny(text)
    default:
        // Classification, every field's label search and typed parsers, case matching.
        _ = analyzer?.analyze(text: text, sidecarCase: nil, barcodes: [text])
    }
    return 0
}

// SwiftPM links an executable's entry point as `FieldFuzzer_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FieldFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { fieldOneInput($0, $1) }
}
