// swift-tools-version:6.0
// Coverage-guided fuzzing of Posteingang's parsers with libFuzzer. Not part of CI: run
// bench/fuzz.sh, which builds this package with `-sanitize=fuzzer` (and address sanitizer).
import PackageDescription

let package = Package(
    name: "PosteingangFuzz",
    dependencies: [.package(name: "Posteingang", path: "..")],
    targets: [
        .executableTarget(
            name: "DecodeFuzzer", dependencies: [.product(name: "PosteingangDecoding", package: "Posteingang")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FieldFuzzer", dependencies: [.product(name: "PosteingangClassification", package: "Posteingang")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
