import Akte
import Foundation
import Hummingbird
import SpoolFiles

/// `GET /api/v1/uploads/{id}`: an upload's state, for the client that sent it only.
extension UploadAPI {
    func status(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let client = context.apiClient else { throw APIError.unauthorized("A token is required.", "Ein Zugangsschlüssel ist nötig.") }
        guard let id = context.parameters.get("id"), id.utf8.count <= 64 else { throw APIError.notFound }
        // Unknown and foreign ids are answered alike, so that ids of other households cannot be probed.
        guard let upload = try environment.akte.apiUpload(id: id), upload.client == client.client,
            client.caseID == nil || upload.caseID == client.caseID
        else { throw APIError.notFound }
        let state: UploadState
        var code: String?
        if let status = try environment.akte.uploadStatus(idOrSha: id) {
            state = status.state
            if state == .refused {
                // Set aside on this host (its quarantine folder), or on any host of the shared queue.
                code = try quarantineCode(uploadID: id) ?? environment.queue?.job(id)?.refusalCode ?? "refused"
            }
        } else if let quarantined = quarantineCode(uploadID: id) {
            state = .refused
            code = quarantined
        } else {
            state = .received
        }
        let body = UploadAnswer(
            uploadID: id, state: state, reasonCode: code, files: upload.parts.count, bytes: upload.bytes,
            sha256: upload.sha256, receivedAt: upload.acceptedAt)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(data: try Self.jsonEncoder.encode(body))))
    }

    /// The code of the quarantine record `UPLOADID--NAME.error.json`, if the upload was set aside.
    func quarantineCode(uploadID: String) -> String? {
        let prefix = uploadID + "--"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: environment.directory.quarantine.path)) ?? []
        guard let name = names.first(where: { $0.hasPrefix(prefix) && $0.hasSuffix(".error.json") }),
            let data = FileManager.default.contents(atPath: environment.directory.quarantine.appendingPathComponent(name).path)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode(QuarantineRecord.self, from: data))?.code
    }
}
