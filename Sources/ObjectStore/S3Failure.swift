import Akte
import Foundation

/// A request to the object store that failed: which store, which bucket, what was asked and
/// what went wrong. English in `description` (logs, API), German in `germanMessage` (pages).
public struct S3Failure: BlobStoreFailure, Equatable {
    public enum Problem: Sendable, Equatable {
        /// The request did not reach the store, or no answer came (connection refused, timed out).
        case unreachable(String)
        /// The store answered with an error status (and S3's `<Code>`/`<Message>` when it sent them).
        case refused(status: UInt, code: String, message: String)
    }

    public let address: S3Location
    public let operation: String
    public let key: String?
    public let problem: Problem

    public var description: String {
        let what = "\(operation) \(key.map { "s3://\(address.bucket)/\($0)" } ?? "s3://\(address.bucket)")"
        switch problem {
        case .unreachable(let reason):
            return "object store \(address.endpoint.absoluteString) did not answer \(what): \(reason)"
        case .refused(let status, let code, let message):
            return "object store \(address.endpoint.absoluteString) refused \(what): HTTP \(status)"
                + (code.isEmpty ? "" : " \(code)") + (message.isEmpty ? "" : " (\(message))") + Self.hint(status: status, code: code)
        }
    }

    public var germanMessage: String {
        let store = "Der Dokumentspeicher \(address.endpoint.absoluteString) (Bucket „\(address.bucket)“)"
        switch problem {
        case .unreachable:
            return "\(store) ist nicht erreichbar. Bitte später erneut versuchen; hält es an, den Betrieb verständigen."
        case .refused(let status, let code, _):
            if status == 403 {
                return "\(store) lehnt den Zugriff ab (\(code.isEmpty ? "HTTP 403" : code)): Zugangsschlüssel prüfen lassen."
            }
            if code == "NoSuchBucket" { return "\(store): den Bucket gibt es nicht. Den Betrieb verständigen." }
            return "\(store) meldet einen Fehler (HTTP \(status)\(code.isEmpty ? "" : ", \(code)")). Den Betrieb verständigen."
        }
    }

    static func hint(status: UInt, code: String) -> String {
        switch (status, code) {
        case (_, "SignatureDoesNotMatch"): return "; check the secret access key and the region"
        case (_, "InvalidAccessKeyId"): return "; check the access key id"
        case (403, _): return "; check the keys and the bucket's permissions"
        case (_, "NoSuchBucket"), (404, _): return "; check the bucket name, or create the bucket"
        default: return ""
        }
    }
}
