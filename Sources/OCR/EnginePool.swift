import Foundation
import Synchronization

/// A fixed set of worker threads, each owning one `TesseractEngine` for its whole life.
/// Blocking work (decoding, Leptonica, Tesseract) runs on these threads, never on Swift's
/// cooperative pool, and an engine is never shared between threads.
public final class EnginePool: Sendable {
    private typealias Job = @Sendable (TesseractEngine) -> Void

    private struct State {
        var jobs: [Job] = []
        var closing = false
    }

    private let state = Mutex(State())
    private let signal = NSCondition()
    private let finished = DispatchGroup()
    public let size: Int

    /// Starts `size` threads with one engine each, reading pages with `steps`. Engines are
    /// created here, so a missing language model is reported at once.
    public init(size: Int, language: String = "deu", pageDeadline: Double = 120, steps: RecognitionSteps = .standard) throws {
        precondition(size > 0, "an engine pool needs at least one engine")
        self.size = size
        var engines: [TesseractEngine] = []
        for _ in 0..<size {
            engines.append(try TesseractEngine(language: language, pageDeadline: pageDeadline, steps: steps))
        }
        for (index, engine) in engines.enumerated() {
            let box = EngineBox(engine)
            finished.enter()
            let thread = Thread { [self] in self.work(with: box.take()) }
            thread.name = "ocr-worker-\(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Runs `body` on a free worker thread with that thread's engine.
    public func run<T: Sendable>(_ body: @escaping @Sendable (TesseractEngine) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let accepted = state.withLock { state -> Bool in
                guard !state.closing else { return false }
                state.jobs.append { engine in continuation.resume(with: Result { try body(engine) }) }
                return true
            }
            if accepted {
                signal.lock()
                signal.signal()
                signal.unlock()
            } else {
                continuation.resume(throwing: OCRError.poolShutDown)
            }
        }
    }

    /// Lets the queued jobs finish, then ends every engine and waits for the threads.
    /// Call before the process exits: Tesseract complains about engines never ended.
    public func shutdown() {
        state.withLock { $0.closing = true }
        signal.lock()
        signal.broadcast()
        signal.unlock()
        finished.wait()
    }

    private func work(with engine: TesseractEngine) {
        defer { finished.leave() }
        while true {
            signal.lock()
            var job: Job?
            while true {
                let (next, done) = state.withLock { state -> (Job?, Bool) in
                    if !state.jobs.isEmpty { return (state.jobs.removeFirst(), false) }
                    return (nil, state.closing)
                }
                if let next { job = next; break }
                if done { break }
                signal.wait()
            }
            signal.unlock()
            guard let job else { return }  // closing and nothing left: the engine ends with this thread
            job(engine)
        }
    }
}

/// Hands an engine to the thread that will own it.
private final class EngineBox: @unchecked Sendable {
    private var engine: TesseractEngine?
    init(_ engine: TesseractEngine) { self.engine = engine }
    func take() -> TesseractEngine {
        defer { engine = nil }
        return engine!
    }
}
