import Dispatch
import Foundation
import Synchronization

/// SIGTERM and SIGINT stop the daemon gracefully; SIGHUP reloads the configuration.
/// Made in a nonisolated function: handlers created in top-level code would be main-actor
/// closures, which trap when Dispatch calls them.
public enum DaemonSignals {
    public static func install(control: DaemonControl) -> [DispatchSourceSignal] {
        installSignals([(SIGTERM, 0), (SIGINT, 0), (SIGHUP, 1)], control: control)
    }

    /// Only SIGHUP (reload): for `serve`, where the service group handles SIGTERM and SIGINT.
    public static func installReload(control: DaemonControl) -> [DispatchSourceSignal] {
        installSignals([(SIGHUP, 1)], control: control)
    }

    private static func installSignals(_ table: [(Int32, Int)], control: DaemonControl) -> [DispatchSourceSignal] {
        var sources: [DispatchSourceSignal] = []
        for (number, action) in table {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            if action == 0 {
                source.setEventHandler { control.stop() }
            } else {
                source.setEventHandler { control.reload() }
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}

/// Passes signals to the daemon once it exists; a stop asked for before that is kept and
/// applied when the daemon is attached.
public final class DaemonControl: Sendable {
    private struct State {
        var daemon: Daemon?
        var stopRequested = false
    }
    private let state = Mutex(State())

    public init() {}

    public func attach(_ daemon: Daemon) {
        let stop = state.withLock { state -> Bool in
            state.daemon = daemon
            return state.stopRequested
        }
        if stop { daemon.requestStop() }
    }

    public func stop() {
        let daemon = state.withLock { state -> Daemon? in
            state.stopRequested = true
            return state.daemon
        }
        daemon?.requestStop()
    }

    public func reload() {
        state.withLock { $0.daemon }?.reloadConfiguration(force: true)
    }
}
