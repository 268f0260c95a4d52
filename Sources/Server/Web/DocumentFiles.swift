import Akte
import Foundation
import Hummingbird

/// The original, the searchable PDF and page images; each view is audited before the bytes go out.
extension CaseworkerWeb {
    func original(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess) async throws -> Response {
        let data: Data
        do {
            data = try await environment.blobs.read(sha256: access.sha256)
        } catch {
            return try unreadable(error, caseworker)
        }
        try environment.akte.recordView(documentID: access.id, by: caseworker.identity.username, what: "original")
        return file(data, type: Self.mediaType(format: access.format), filename: access.originalFilename)
    }

    func searchablePDF(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess) async throws -> Response {
        guard let archive = access.archivePDFSha256 else {
            return HTML.errorPage(
                .notFound, title: "Kein durchsuchbares PDF",
                message: "Dieses Dokument hatte schon eine Textebene; es gibt nur das Original.", caseworker: caseworker)
        }
        let data: Data
        do {
            data = try await environment.blobs.read(sha256: archive)
        } catch {
            return try unreadable(error, caseworker)
        }
        try environment.akte.recordView(documentID: access.id, by: caseworker.identity.username, what: "pdf")
        let base = (access.originalFilename as NSString).deletingPathExtension
        return file(data, type: "application/pdf", filename: base + "-durchsuchbar.pdf")
    }

    func pageImage(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, page: Int, size: PageImages.Size) async throws
        -> Response
    {
        let data: Data
        do {
            data = try await images.png(of: access, page: page, size: size)
        } catch let problem as PageImages.Problem {
            var headers = HTML.securityHeaders
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: problem.description)))
        }
        try environment.akte.recordView(
            documentID: access.id, by: caseworker.identity.username, what: size == .thumbnail ? "thumbnail" : "page_image")
        var headers = HTML.securityHeaders
        headers[.contentType] = "image/png"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A blob that cannot be read: the store is away (503) or the blob is missing or changed (500),
    /// said in German; anything else goes on to the general error handling.
    private func unreadable(_ error: any Error, _ caseworker: LoggedInCaseworker) throws -> Response {
        switch error {
        case let failure as any BlobStoreFailure:
            return HTML.errorPage(
                .serviceUnavailable, title: "Dokumentspeicher nicht erreichbar", message: failure.germanMessage, caseworker: caseworker)
        case AkteError.blobMissing, AkteError.blobCorrupted:
            return HTML.errorPage(
                .internalServerError, title: "Datei nicht lesbar",
                message: "Die Datei dieses Dokuments fehlt im Dokumentspeicher oder wurde verändert. Den Betrieb verständigen (Sicherung einspielen).",
                caseworker: caseworker)
        default:
            throw error
        }
    }

    private func file(_ data: Data, type: String, filename: String) -> Response {
        var headers = HTML.securityHeaders
        headers[.contentType] = type
        let safe = String(filename.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        headers[.contentDisposition] = "attachment; filename=\"\(safe)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func mediaType(format: String) -> String {
        switch format.lowercased() {
        case let f where f.contains("pdf"): return "application/pdf"
        case let f where f.contains("jpeg") || f.contains("jpg"): return "image/jpeg"
        case let f where f.contains("png"): return "image/png"
        case let f where f.contains("tif"): return "image/tiff"
        case let f where f.contains("webp"): return "image/webp"
        case let f where f.contains("hei"): return "image/heic"
        default: return "application/octet-stream"
        }
    }
}
