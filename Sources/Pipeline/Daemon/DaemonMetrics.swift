import Foundation
import SpoolFiles
import Synchronization

/// Counters for monitoring, written in the Prometheus text format to `metrics.prom` in the
/// data directory (node_exporter's textfile collector scrapes it as it is).
public final class DaemonMetrics: Sendable {
    private struct State {
        var documentsByOutcome: [String: Int] = [:]
        var stageSeconds: [String: (sum: Double, count: Int)] = [:]
        var queueDepth = 0
        var inProgress = 0
        var configReloads: [String: Int] = [:]
    }

    private let state = Mutex(State())
    public init() {}

    public func documentFinished(outcome: String, timingsMs: [String: Double]) {
        state.withLock { state in
            state.documentsByOutcome[outcome, default: 0] += 1
            for (stage, ms) in timingsMs {
                let old = state.stageSeconds[stage] ?? (0, 0)
                state.stageSeconds[stage] = (old.sum + ms / 1000, old.count + 1)
            }
        }
    }

    public func setQueueDepth(_ depth: Int) { state.withLock { $0.queueDepth = depth } }
    public func adjustInProgress(by delta: Int) { state.withLock { $0.inProgress += delta } }
    public func configReload(succeeded: Bool) {
        state.withLock { $0.configReloads[succeeded ? "ok" : "refused", default: 0] += 1 }
    }

    public func count(outcome: String) -> Int { state.withLock { $0.documentsByOutcome[outcome] ?? 0 } }

    /// The metrics in the Prometheus text exposition format.
    public func exposition() -> String {
        state.withLock { s in
            var lines: [String] = []
            lines.append("# HELP posteingang_documents_total Uploads finished, by outcome.")
            lines.append("# TYPE posteingang_documents_total counter")
            for outcome in ["filed", "needs_review", "duplicate", "quarantined"] {
                lines.append("posteingang_documents_total{outcome=\"\(outcome)\"} \(s.documentsByOutcome[outcome] ?? 0)")
            }
            lines.append("# HELP posteingang_stage_seconds Time spent per pipeline stage.")
            lines.append("# TYPE posteingang_stage_seconds summary")
            for stage in s.stageSeconds.keys.sorted() {
                let v = s.stageSeconds[stage]!
                lines.append("posteingang_stage_seconds_sum{stage=\"\(stage)\"} \(String(format: "%.3f", v.sum))")
                lines.append("posteingang_stage_seconds_count{stage=\"\(stage)\"} \(v.count)")
            }
            lines.append("# HELP posteingang_queue_depth Uploads waiting in the inbox.")
            lines.append("# TYPE posteingang_queue_depth gauge")
            lines.append("posteingang_queue_depth \(s.queueDepth)")
            lines.append("# HELP posteingang_in_progress Uploads being worked on.")
            lines.append("# TYPE posteingang_in_progress gauge")
            lines.append("posteingang_in_progress \(s.inProgress)")
            lines.append("# HELP posteingang_config_reloads_total Reloads of pipeline.yml, by result.")
            lines.append("# TYPE posteingang_config_reloads_total counter")
            for result in ["ok", "refused"] {
                lines.append("posteingang_config_reloads_total{result=\"\(result)\"} \(s.configReloads[result] ?? 0)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public func write(to url: URL) {
        try? DurableFile.write(Data(exposition().utf8), to: url)
    }
}
