import Foundation
import PosteingangTestKit

/// A daemon started as a child process, with its log collected.
final class DaemonProcess {
    let child: RunningChild
    let log: URL

    init(dataDir: URL, arguments extra: [String] = [], workers: Int = 2) throws {
        log = dataDir.appendingPathComponent("daemon-\(UUID().uuidString.prefix(6)).log")
        child = try TestKit.start(
            ["run", "--data-dir", dataDir.path, "--config", TestKit.pipelineYML.path,
             "--workers", "\(workers)", "--settle-delay", "0.3", "--rescan-interval", "1"] + extra,
            log: log)
    }

    func terminate() { child.signal(SIGTERM) }
    func kill9() { child.signal(SIGKILL) }
    func hangUp() { child.signal(SIGHUP) }

    /// Waits for the process to end, at most `timeout` seconds; returns its exit status or nil.
    func wait(timeout: Double) -> Int32? { child.wait(timeout: timeout) }

    var output: String { child.output }
}
