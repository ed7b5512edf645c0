import Foundation

/// A progress event from a long sweep: `completed` of `total` work units of one claim.
public struct SweepProgress: Sendable {
    public let claimID: String
    public let completed: Int
    public let total: Int
    public let message: String
}

/// What a claim's `run` receives: validated parameters, the master seed, which scale, and which control (if any).
public struct RunContext: Sendable {
    public let claimID: String
    public let parameters: Parameters
    public let scale: Scale
    public let masterSeed: UInt64
    /// The negative control to run instead of the claim, or nil.
    public let control: NegativeControl?
    /// The `Experiments/` folder the config was read from: data files that belong to a config (a trained target
    /// network, say) live beside it. nil when the runner was given parameters without a folder.
    public let experimentsRoot: URL?
    let onProgress: (@Sendable (SweepProgress) -> Void)?

    public init(claimID: String, parameters: Parameters, scale: Scale, masterSeed: UInt64, control: NegativeControl? = nil,
                experimentsRoot: URL? = nil, onProgress: (@Sendable (SweepProgress) -> Void)? = nil) {
        self.claimID = claimID
        self.experimentsRoot = experimentsRoot
        self.parameters = parameters
        self.scale = scale
        self.masterSeed = masterSeed
        self.control = control
        self.onProgress = onProgress
    }

    /// Root of this run's random streams. Controls get the same streams as the claim, so a control differs
    /// from the claim only in the deliberate mistake.
    public var streams: StreamKey { StreamKey(claim: claimID, masterSeed: masterSeed) }

    public func isControl(_ id: String) -> Bool { control?.id == id }

    public func progress(_ completed: Int, of total: Int, _ message: String = "") {
        onProgress?(SweepProgress(claimID: claimID, completed: completed, total: total, message: message))
    }
}

/// Largest accepted `CLAIMCHECK_THREADS`.
public let maximumWorkerCount = 1024

/// `CLAIMCHECK_THREADS` checked: nil if unset, else a positive integer ≤ `maximumWorkerCount`; anything else throws a
/// one-line message naming the variable, the value and what is allowed. The CLI calls this before any work starts.
public func requestedWorkerCount(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int? {
    guard let text = environment["CLAIMCHECK_THREADS"] else { return nil }
    guard let n = Int(text.trimmingCharacters(in: .whitespaces)), (1...maximumWorkerCount).contains(n) else {
        throw ShardError("CLAIMCHECK_THREADS='\(text.prefix(40))' is not a thread count; expected an integer in 1…\(maximumWorkerCount) (or unset for one per core)")
    }
    return n
}

/// Number of worker threads for sweeps: `CLAIMCHECK_THREADS` if valid (the CLI refuses an invalid one before running),
/// else the number of active cores. Results never depend on it: every work item draws from its own stream.
public var workerCount: Int {
    if let n = (try? requestedWorkerCount()) ?? nil { return n }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
}

/// Evaluates `body(i)` for i in 0..<count on up to `workerCount` threads and returns the results in index order.
/// The first error thrown (by index) is rethrown after all items finish.
public func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    guard count > 0 else { return [] }
    LibrarySetup.once
    let results = UnsafeMutableBufferPointer<Result<T, any Error>?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize(); results.deallocate() }
    let workers = min(workerCount, count)
    let slots = SendableBuffer(results)
    if workers == 1 {
        for i in 0..<count { slots.buffer[i] = Result { try body(i) } }
    } else {
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.increment()
                if i >= count { break }
                slots.buffer[i] = Result { try body(i) }
            }
        }
    }
    return try results.map { try $0!.get() }
}

private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

private final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// Returns the current value and adds one.
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}
