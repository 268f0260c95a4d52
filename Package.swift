// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Posteingang",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "posteingang", targets: ["posteingang"]),
        // For the fuzz package in fuzz/ (bench/fuzz.sh), which builds with -sanitize=fuzzer.
        .library(name: "PosteingangDecoding", targets: ["Imaging"]),
        .library(name: "PosteingangClassification", targets: ["Classification"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, headers only. Each gets its own target so that link flags stay explicit.
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        .systemLibrary(name: "CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        .systemLibrary(name: "CHeif", pkgConfig: "libheif", providers: [.apt(["libheif-dev"])]),
        .systemLibrary(name: "CZbar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        .systemLibrary(name: "CDmtx", pkgConfig: "libdmtx", providers: [.apt(["libdmtx-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "Imaging", dependencies: ["CLeptonica", "CHeif", "CZbar", "CDmtx", "CCrypto"]),
        .target(name: "OCR", dependencies: ["CTesseract", "CLeptonica", "Imaging"]),
        .target(name: "Classification", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Akte", dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "CCrypto"]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Imaging", "OCR", "Classification", "Akte",
            ]),
        .executableTarget(
            name: "posteingang",
            dependencies: [
                "Pipeline", "Imaging", "OCR", "Classification", "Akte",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "ClassificationTests", dependencies: ["Classification"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "OCR"]),
        .testTarget(name: "AkteTests", dependencies: ["Akte"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Imaging", "OCR", "Classification", "Akte"]),
    ]
)
