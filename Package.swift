// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Posteingang",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "posteingang", targets: ["posteingang"]),
        .executable(name: "posteingang-decode", targets: ["posteingang-decode"]),
        // For the fuzz package in fuzz/ (bench/fuzz.sh), which builds with -sanitize=fuzzer.
        .library(name: "PosteingangDecoding", targets: ["Imaging"]),
        .library(name: "PosteingangClassification", targets: ["Classification"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries, headers only. Each gets its own target so that link flags stay explicit.
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        .systemLibrary(name: "CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        .systemLibrary(name: "CHeif", pkgConfig: "libheif", providers: [.apt(["libheif-dev"])]),
        // libde265, the HEVC decoder behind libheif, called directly for the grey plane of HEIC photos.
        .systemLibrary(name: "CDe265", pkgConfig: "libde265", providers: [.apt(["libde265-dev"])]),
        .systemLibrary(name: "CZbar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        .systemLibrary(name: "CDmtx", pkgConfig: "libdmtx", providers: [.apt(["libdmtx-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libpq, PostgreSQL's own client: synchronous like the store protocols (see docs/ARCHITECTURE.md).
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // libjpeg called directly for the primary image of a JPEG (where its data ends, CMYK to grey).
        .target(name: "CJPEGReader", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "Imaging", dependencies: ["CLeptonica", "CHeif", "CDe265", "CZbar", "CDmtx", "CCrypto", "CJPEGReader", "ChildProcesses"]),
        // Faster roads for some of Leptonica's calls from inside Tesseract (see speedups.c).
        .target(name: "CTesseractSpeedups", linkerSettings: [.linkedLibrary("lept"), .linkedLibrary("dl")]),
        .target(name: "OCR", dependencies: ["CTesseract", "CLeptonica", "CTesseractSpeedups", "Imaging"]),
        .target(name: "Classification", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Akte", dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "CCrypto", "CPostgres"]),
        // Blobs in an S3-compatible object store (SigV4 signing, our own) and the `--blobs` factory.
        .target(
            name: "ObjectStore",
            dependencies: [
                "Akte", "CCrypto", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // Findings over a household's filed documents: pure functions over records.
        .target(name: "Findings", dependencies: ["Akte", "Classification"]),
        // Caseworkers' corrections, checked and normalised the same way from the web pages and the command line.
        .target(name: "Corrections", dependencies: ["Akte", "Classification"]),
        // The spool's file layout (data directory, sidecars, quarantine records, upload names) and
        // durable writes: what the HTTP side and the daemon both touch, without OCR.
        .target(name: "SpoolFiles"),
        // The one way to run a child process (poppler tools, tesseract; in the tests `posteingang`,
        // curl and servers): timeout, collected output, clear errors.
        .target(name: "ChildProcesses"),
        .target(
            name: "Pipeline",
            dependencies: [
                "Imaging", "OCR", "Classification", "Akte", "SpoolFiles", "ChildProcesses",
            ]),
        // HTTP: the upload API (Server/API) and the caseworkers' pages (Server/Web), on Hummingbird.
        // Not Pipeline: the server only writes into the spool and never links Tesseract; `serve`
        // (the command-line target) runs the daemon beside it.
        .target(
            name: "Server",
            dependencies: [
                "SpoolFiles", "ChildProcesses", "Imaging", "Classification", "Akte", "Corrections", "Findings", "CCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "posteingang",
            dependencies: [
                "Pipeline", "SpoolFiles", "ChildProcesses", "Imaging", "OCR", "Classification", "Akte", "Corrections", "Findings", "Server",
                "ObjectStore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The decoder child the daemon starts for every upload: only the decoders, so it starts fast.
        .executableTarget(name: "posteingang-decode", dependencies: ["Imaging"]),

        .testTarget(name: "ChildProcessesTests", dependencies: ["ChildProcesses"]),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "PosteingangTestKit"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "PosteingangTestKit"]),
        // Reading pages with Tesseract over the fixtures. Pipeline for TextMetrics: the photo guard
        // measures as eval does.
        .testTarget(name: "OCRTests", dependencies: ["OCR", "Imaging", "Pipeline", "PosteingangTestKit"]),
        .testTarget(name: "AkteTests", dependencies: ["Akte", "PosteingangTestKit"]),
        // SigV4 against AWS's published vectors (Resources/aws-sig-v4-test-suite) and the blob conformance checks
        // against the local folder and a SeaweedFS the tests start.
        .testTarget(
            name: "ObjectStoreTests", dependencies: ["ObjectStore", "Akte", "PosteingangTestKit"],
            exclude: ["Resources"]),
        .testTarget(name: "FindingsTests", dependencies: ["Findings", "Akte", "Classification", "PosteingangTestKit"]),
        // The one test kit every test target uses: paths and fixtures, running programs and servers
        // (ChildProcesses), ports, delivering into the inbox, small PDFs, PostgreSQL and SeaweedFS.
        .target(name: "PosteingangTestKit", dependencies: ["ChildProcesses"], path: "Tests/TestKit"),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "SpoolFiles", "Imaging", "OCR", "Classification", "Akte", "PosteingangTestKit"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "SpoolFiles", "Classification", "Akte", "ObjectStore", "PosteingangTestKit"]),
    ]
)
