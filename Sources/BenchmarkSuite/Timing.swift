import Foundation

/// Wall-clock samples of one way of computing a workload, in seconds.
public struct Timing: Sendable {
    public let samples: [Double]

    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "Timing needs at least one sample")
        self.samples = samples
    }

    /// The median sample (mean of the two middle ones for an even count).
    public var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    public var minimum: Double { samples.min()! }
    public var maximum: Double { samples.max()! }
}

/// Monotonic wall time of `body` in seconds (CLOCK_MONOTONIC), and its result.
public func timed<T>(_ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    let value = try body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
    return (seconds, value)
}
