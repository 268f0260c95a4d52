import Akte
import Foundation
import SpoolFiles

extension Daemon {
    /// What `run`, `serve` and `benchmark` start: the E-Akte in `directory` opened (created if
    /// new, files owner-only; or the database `database` names, see `AkteStores`), the register CSV at `casesCSV` imported into it first, the
    /// configuration at `configurationURL` loaded with the E-Akte's register, and the daemon (on the
    /// shared work queue when the E-Akte is on PostgreSQL).
    public static func open(
        directory: DataDirectory, database: String? = nil, configurationURL: URL, casesCSV: String?, options: DaemonOptions,
        log: EventLog, blobs: (any BlobStore)? = nil
    ) throws -> (Daemon, any AkteStore) {
        DataDirectory.restrictNewFiles()
        try directory.create()
        let akte = try AkteStores.open(database: database, dataDirectory: directory.root)
        if let casesCSV {
            let report = try RegisterBridge.importCSV(atPath: casesCSV, into: akte)
            log.log("cases_imported", [
                "added": .number(Double(report.added)), "changed": .number(Double(report.changed)),
                "rejected": .number(Double(report.rejected.count)),
            ])
        }
        let holder = try ConfigurationHolder(url: configurationURL, register: try RegisterBridge.register(from: akte))
        // On PostgreSQL the daemon works on the shared queue, with workers on other hosts.
        let queue = (akte as? PostgresAkte).map { PostgresWorkQueue(akte: $0, lease: options.lease) }
        let daemon = try Daemon(
            directory: directory, options: options, configuration: holder, akte: akte, log: log, blobs: blobs, queue: queue)
        return (daemon, akte)
    }
}
