import ChildProcesses
import Foundation

/// The decoder child as `decodeIsolated` sees it, started through `ChildProcesses` (the one way
/// this project runs a program): the leader of its own process group, so that the deadline kills
/// the poppler tools it started too and nothing it started outlives it; how it ended (exit
/// status or signal) and its peak memory.
enum ChildProcess {
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    struct Outcome {
        var ending: Ending
        /// Peak resident memory of the child (its largest descendant included), from `wait4`;
        /// 0 after a timeout.
        var peakMemoryBytes: Int
    }

    /// Runs `executable` with one OpenMP thread and two malloc arenas (glibc reserves 64 MiB of
    /// address space per arena and thread: few arenas, so that the address-space limit measures
    /// pixels, not reservations); its standard error is written to `stderr`.
    static func run(executable: String, arguments: [String], stderr: URL, deadline: Double) throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        environment["MALLOC_ARENA_MAX"] = "2"
        let output: ChildOutput
        do {
            output = try ChildProcesses.ChildProcess(
                executable, arguments, environment: environment, timeout: deadline, processGroup: true
            ).run()
        } catch let error as ChildProcessError {
            if case .timedOut = error.reason { return Outcome(ending: .timedOut, peakMemoryBytes: 0) }
            throw ImagingError.internalFailure(operation: "start the decoder \(executable): \(error)")
        }
        _ = FileManager.default.createFile(atPath: stderr.path, contents: output.stderr, attributes: [.posixPermissions: 0o600])
        if let signal = output.signal { return Outcome(ending: .signalled(signal), peakMemoryBytes: output.peakMemoryBytes) }
        return Outcome(ending: .exited(output.status), peakMemoryBytes: output.peakMemoryBytes)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return "segmentation fault"
        case SIGABRT: return "abort"
        case SIGBUS: return "bus error"
        case SIGILL: return "illegal instruction"
        case SIGTRAP: return "trap"
        case SIGFPE: return "arithmetic error"
        case SIGKILL: return "killed"
        case SIGXCPU: return "CPU time limit"
        case SIGXFSZ: return "file size limit"
        default: return "signal"
        }
    }
}
