import Foundation

/// How a child process ended and what it wrote.
public struct ChildOutput: Sendable {
    /// The exit status; 128 + the signal's number when a signal ended it (as a shell reports it).
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    /// The signal that ended it, else nil.
    public var signal: Int32? = nil
    /// Its peak resident memory (its largest waited-for descendant included).
    public var peakMemoryBytes = 0

    public var succeeded: Bool { status == 0 }
    public var standardOutput: String { String(decoding: stdout, as: UTF8.self) }
    public var standardError: String { String(decoding: stderr, as: UTF8.self) }

    /// Itself when the child succeeded; else `.failed` with the status and the start of its
    /// standard error.
    @discardableResult
    public func check(_ program: String) throws -> ChildOutput {
        guard succeeded else {
            let message = String(standardError.prefix(2000)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ChildProcessError(program: program, reason: .failed(status: status, message: message))
        }
        return self
    }
}

/// A child process that could not do its job; `description` says what to do about it.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// No such program in `PATH` or the usual folders.
        case notInstalled(package: String?)
        /// `posix_spawn` refused (not executable, no memory) or its setup failed.
        case cannotStart(String)
        /// Still running after the timeout; it was killed.
        case timedOut(seconds: Double)
        /// It ended with a status other than 0.
        case failed(status: Int32, message: String)
    }

    public var program: String
    public var reason: Reason

    public init(program: String, reason: Reason) {
        self.program = program
        self.reason = reason
    }

    public var description: String {
        let name = (program as NSString).lastPathComponent
        switch reason {
        case .notInstalled(let package?): return "\(name) is not installed (apt-get install \(package))"
        case .notInstalled(nil): return "\(name) is not installed (not found in PATH, /usr/bin or /usr/local/bin)"
        case .cannotStart(let why): return "\(name) could not be started: \(why)"
        case .timedOut(let seconds): return "\(name) did not finish within \(Self.seconds(seconds)) s and was stopped"
        case .failed(let status, let message):
            return "\(name) ended with status \(status)" + (message.isEmpty ? "" : ": \(message)")
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
