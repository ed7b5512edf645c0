import Foundation

/// The timings of one workload and how far the three ways' results are apart.
public struct BenchmarkResult {
    public let family: String
    public let name: String
    public let size: String
    public let loopBound: Bool
    public let flops: Double?
    public let calls: String
    public let swift: Timing
    public let c: Timing
    public let numpy: Timing?
    /// relativeDifference(Swift, C) and relativeDifference(Swift, numpy) on the untimed first run.
    public let swiftVersusC: Double
    public let numpyVersusSwift: Double?
    public let numpyVersion: String?
    /// Why numpy is missing, when it is.
    public let numpyNote: String?

    public var swiftOverC: Double { swift.median / c.median }
    public var numpyOverSwift: Double? { numpy.map { $0.median / swift.median } }
    /// GFlop/s of the median run of Swift, C and numpy (nil without a flop count).
    public var gigaflops: (swift: Double, c: Double, numpy: Double?)? {
        flops.map { f in (f / swift.median / 1e9, f / c.median / 1e9, numpy.map { f / $0.median / 1e9 }) }
    }
}

public struct BenchmarkOptions {
    public var runs = 5
    public var numpy = true
    public var scripts: URL
    public var python = "python3"

    public init(scripts: URL) { self.scripts = scripts }
}

public enum BenchmarkFailure: Error, CustomStringConvertible {
    case disagreement(workload: String, difference: Double, tolerance: Double)

    public var description: String {
        switch self {
        case let .disagreement(workload, difference, tolerance):
            "\(workload): Swift and C results differ by \(difference) (relative), more than \(tolerance); the timing would compare different computations"
        }
    }
}

/// Times `workload`: one untimed run of each way (results compared; Swift and C must agree to the workload's
/// tolerance), then `runs` timed runs alternating Swift and C so that background load hits both alike, then the
/// numpy script with the same number of timed runs (after its own untimed warm-up).
public func measure(_ workload: Workload, options: BenchmarkOptions, log: (String) -> Void = { _ in }) throws -> BenchmarkResult {
    let label = "\(workload.family) · \(workload.name) (\(workload.size))"
    log("\(label): warm-up and agreement")
    var swiftResult: [Double]? = try workload.swift()
    var cResult: [Double]? = try workload.c()
    let swiftVersusC = relativeDifference(swiftResult!, cResult!)
    guard swiftVersusC <= workload.swiftVersusC else {
        throw BenchmarkFailure.disagreement(workload: label, difference: swiftVersusC, tolerance: workload.swiftVersusC)
    }
    cResult = nil

    var numpyTiming: Timing?, numpyDifference: Double?, numpyVersion: String?, numpyNote: String?
    if let job = workload.numpy, options.numpy {
        log("\(label): numpy × \(options.runs)")
        do {
            let outcome = try runNumpy(job, scripts: options.scripts, runs: options.runs, python: options.python)
            numpyTiming = outcome.timing
            numpyVersion = outcome.numpyVersion
            let difference = relativeDifference(swiftResult!, outcome.result)
            numpyDifference = difference
            if difference > workload.numpyTolerance {
                numpyNote = "numpy result differs from Swift by \(difference) (tolerance \(workload.numpyTolerance))"
            }
        } catch {
            numpyNote = "\(error)"
        }
    } else {
        numpyNote = workload.numpy == nil ? "no numpy reference" : "numpy skipped (--no-numpy)"
    }
    swiftResult = nil

    log("\(label): Swift and C × \(options.runs)")
    var swiftSeconds: [Double] = [], cSeconds: [Double] = []
    for _ in 0..<options.runs {
        swiftSeconds.append(try timed { _ = try workload.swift() }.seconds)
        cSeconds.append(try timed { _ = try workload.c() }.seconds)
    }
    return BenchmarkResult(family: workload.family, name: workload.name, size: workload.size, loopBound: workload.loopBound,
                       flops: workload.flops, calls: workload.calls, swift: Timing(samples: swiftSeconds), c: Timing(samples: cSeconds), numpy: numpyTiming,
                       swiftVersusC: swiftVersusC, numpyVersusSwift: numpyDifference, numpyVersion: numpyVersion, numpyNote: numpyNote)
}
