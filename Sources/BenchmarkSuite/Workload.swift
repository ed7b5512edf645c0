import Foundation

/// One benchmark workload, computed three ways on the same inputs and seeds.
///
/// `swift` calls the project's public API exactly as the claims do; `c` calls the plain C reference in `CReference`
/// (same algorithm, same GSL/BLAS calls, same flop count); `numpy` describes the script under `Benchmarks/` that
/// reruns the algorithm in Python/numpy. Each way returns its numerical result so the three can be compared before
/// any timing is reported.
public struct Workload {
    /// Family id prefix (`psgd`, `core`, …).
    public let family: String
    /// What is computed, e.g. "RR SGD, d = 10".
    public let name: String
    /// Problem size in words, e.g. "n = 1000, K = 1000 (10⁶ steps)".
    public let size: String
    /// Loop-bound workloads (many small sequential steps) carry the numpy/Swift ≥ 10 target; BLAS-bound ones do not.
    public let loopBound: Bool
    /// Maximum relative difference allowed between the numpy result and the Swift result (numpy links its own
    /// OpenBLAS build, whose kernels may sum in another order). Swift and C must agree to `swiftVersusC`.
    public let numpyTolerance: Double
    public let swiftVersusC: Double
    /// Floating-point operations per run, when countable (for GFlop/s).
    public let flops: Double?
    /// What each way calls, e.g. "`PermutationSGD.run` · `cref_psgd_reshuffling` · psgd.py".
    public let calls: String
    public let swift: () throws -> [Double]
    public let c: () throws -> [Double]
    public let numpy: NumpyJob?

    public init(family: String, name: String, size: String, loopBound: Bool, numpyTolerance: Double = 1e-9,
                swiftVersusC: Double = 1e-12, flops: Double? = nil, calls: String = "", swift: @escaping () throws -> [Double], c: @escaping () throws -> [Double],
                numpy: NumpyJob?) {
        self.family = family
        self.name = name
        self.size = size
        self.loopBound = loopBound
        self.numpyTolerance = numpyTolerance
        self.swiftVersusC = swiftVersusC
        self.flops = flops
        self.calls = calls
        self.swift = swift
        self.c = c
        self.numpy = numpy
    }
}

/// A numpy reference run: `python3 Benchmarks/<script> <folder> <runs>`, where `folder` holds `parameters.json` and
/// one little-endian float64 file per input; the script writes `result.bin` (float64) and prints a JSON object
/// `{"seconds": [...], "numpy": "<version>"}` with one wall time per timed run (inputs loaded before timing).
public struct NumpyJob {
    public let script: String
    public let parameters: [String: Double]
    public let inputs: [String: [Double]]

    public init(script: String, parameters: [String: Double], inputs: [String: [Double]]) {
        self.script = script
        self.parameters = parameters
        self.inputs = inputs
    }
}

/// max|aᵢ − bᵢ| / max(1, max|aᵢ|): the relative disagreement of two results (∞ if their lengths differ or any
/// entry is not finite).
public func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count, a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { return .infinity }
    var scale = 1.0, difference = 0.0
    for (x, y) in zip(a, b) {
        scale = max(scale, abs(x))
        difference = max(difference, abs(x - y))
    }
    return difference / scale
}
