import Foundation
import Imaging

/// libFuzzer entry: the decode entry point on arbitrary bytes, in process (the fuzzer must see
/// the crash). PDFs are left out: they go to poppler in child processes, which libFuzzer
/// neither instruments nor would see crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func decodeOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if case .success(.pdf) = FileFormat.detect(data) { return 0 }
    // Small limits keep each execution fast; the header checks are what is under test.
    let limits = DecodeLimits(maxBytes: 4 * 1024 * 1024, maxPixelsPerPage: 4_000_000, maxPages: 8, maxDecodedBytes: 64 * 1024 * 1024)
    _ = try? DocumentDecoder(limits: limits).decode(data)
    _ = EXIFOrientation.read(fromJPEG: data)
    return 0
}

// SwiftPM links an executable's entry point as `DecodeFuzzer_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("DecodeFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { decodeOneInput($0, $1) }
}
