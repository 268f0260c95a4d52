import Foundation

/// Where the S3 access key and secret come from, first found wins:
/// 1. `POSTEINGANG_S3_ACCESS_KEY_ID` and `POSTEINGANG_S3_SECRET_ACCESS_KEY` (and `POSTEINGANG_S3_SESSION_TOKEN`);
/// 2. `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`);
/// 3. a file named by `credentials=FILE` in the address or by `POSTEINGANG_S3_CREDENTIALS_FILE`, with
///    lines `aws_access_key_id = …`, `aws_secret_access_key = …` (AWS's credentials file format; `[section]`
///    lines and `#` comments are skipped; the first value of each key counts).
/// Never from the command line.
public enum S3Credentials {
    public static func resolve(for location: S3Location, environment: [String: String]) throws -> SignatureV4.Credentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        for prefix in ["POSTEINGANG_S3_", "AWS_"] {
            let id = value(prefix + "ACCESS_KEY_ID"), secret = value(prefix + "SECRET_ACCESS_KEY")
            if let id, let secret {
                return .init(accessKeyID: id, secretAccessKey: secret, sessionToken: value(prefix + "SESSION_TOKEN"))
            }
            if id != nil || secret != nil {
                throw S3LocationError("\(prefix)ACCESS_KEY_ID and \(prefix)SECRET_ACCESS_KEY must be set together (only one is)")
            }
        }
        if let path = location.credentialsFile ?? value("POSTEINGANG_S3_CREDENTIALS_FILE") {
            return try read(file: path)
        }
        throw S3LocationError(
            "no credentials for \(location.description): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or POSTEINGANG_S3_ACCESS_KEY_ID and POSTEINGANG_S3_SECRET_ACCESS_KEY), or name a credentials file with credentials=FILE in the address or POSTEINGANG_S3_CREDENTIALS_FILE")
    }

    static func read(file path: String) throws -> SignatureV4.Credentials {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw S3LocationError("credentials file '\(path)' cannot be read (missing, or not readable by this user)")
        }
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("["), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if values[key] == nil, !value.isEmpty { values[key] = value }
        }
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else {
            throw S3LocationError(
                "credentials file '\(path)' lacks aws_access_key_id or aws_secret_access_key (lines 'aws_access_key_id = …' and 'aws_secret_access_key = …')")
        }
        return .init(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
    }
}
