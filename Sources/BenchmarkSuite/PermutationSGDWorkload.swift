import CReference
import ClaimCore
import PermutationSGD

/// Random-reshuffling SGD on a random quadratic sum, the inner loop of every permutation-SGD claim.
///
/// Instance: n components fᵢ(x) = ½xᵀAᵢx − bᵢᵀx on ℝᵈ with Aᵢ = GᵢᵀGᵢ/d (Gᵢ a d×d standard Gaussian matrix, so
/// E Aᵢ = I) and bᵢ ~ N(0, I_d); step α = 1/L with L = maxᵢ λ_max(Aᵢ), start x₀ = x* + 1. The run is K epochs of
/// n steps x ← x − α(A_{σ(j)}x − b_{σ(j)}), a fresh `gsl_ran_shuffle` of σ every epoch (1 + nK mt19937 draws in
/// all), i.e. `PermutationSGD(problem:scheme: .reshuffling, stepSize:).run(epochs:from:random:)`.
/// Flops per step: 2d² + 3d (dgemv with β = −1, daxpy); 4 for d = 1.
public struct PermutationSGDWorkload {
    public let problem: QuadraticSum
    public let stepSize: Double
    public let epochs: Int
    public let start: [Double]
    /// Seed of the ordering stream (`gsl_rng_set`).
    public let seed: UInt64

    public init(dimension d: Int, components n: Int, epochs: Int, seed: UInt64) throws {
        let random = RandomStream(StreamKey(claim: "bench.psgd", masterSeed: seed, path: [d, n]))
        let hessians = (0..<n).map { _ in 1 / Double(d) * random.gaussianMatrix(rows: d, columns: d).gram() }
        let linearTerms = (0..<n).map { _ in random.gaussians(d) }
        problem = try QuadraticSum(dimension: d, hessians: hessians, linearTerms: linearTerms)
        stepSize = 1 / problem.smoothness
        self.epochs = epochs
        start = problem.minimizer.map { $0 + 1 }
        self.seed = seed
    }

    /// The project's code path: `PermutationSGD.run` with a fresh `RandomStream(seed:)`.
    public func runSwift() -> [Double] {
        PermutationSGD(problem: problem, scheme: .reshuffling, stepSize: stepSize)
            .run(epochs: epochs, from: start, random: RandomStream(seed: seed))
    }

    /// The plain C reference `cref_psgd_reshuffling` on the same storage and seed.
    public func runC() -> [Double] {
        var x = start
        problem.hessians.withUnsafeBufferPointer { a in
            problem.linearTerms.withUnsafeBufferPointer { b in
                cref_psgd_reshuffling(a.baseAddress, b.baseAddress, problem.count, problem.dimension, stepSize, epochs,
                                      UInt(truncatingIfNeeded: seed), &x)
            }
        }
        return x
    }

    public var numpyJob: NumpyJob {
        NumpyJob(script: "psgd.py",
                 parameters: ["dimension": Double(problem.dimension), "components": Double(problem.count),
                              "epochs": Double(epochs), "step_size": stepSize, "seed": Double(UInt32(truncatingIfNeeded: seed))],
                 inputs: ["hessians": problem.hessians, "linear_terms": problem.linearTerms, "start": start])
    }

    public func workload() -> Workload {
        let steps = problem.count * epochs, d = problem.dimension
        let flopsPerStep = d == 1 ? 4 : 2 * d * d + 3 * d
        return Workload(family: "psgd", name: "RR SGD step loop, d = \(d)",
                        size: "n = \(problem.count), K = \(epochs), \(steps) steps", loopBound: true,
                        flops: Double(steps * flopsPerStep),
                        calls: "`PermutationSGD(problem:scheme: .reshuffling, stepSize:).run(epochs:from:random:)` · `cref_psgd_reshuffling` · `Benchmarks/psgd.py`",
                        swift: runSwift, c: runC, numpy: numpyJob)
    }
}

/// The authors' K-sweep on P1's skewed instance (`psgd.authors-protocol`, spec §3.3): n = 500, K = 30…199, step
/// α_K = 4·ln(nK)/(nK), x₀ = 0, `runs` runs, each serving every K through `SkewedSignsRR.runLanes` (one
/// `gsl_ran_shuffle` of the 500 int8 signs per epoch on mt19937, 170 lanes). Output: E x_T² per K.
/// The claim runs the same calls under `parallelMap` over runs; here the runs are serial so Swift and the plain C
/// reference `cref_psgd_skewed_ksweep` do the same single-threaded work. Σ_K n·K = 9.7·10⁶ lane-steps per run.
public struct SkewedKSweepWorkload {
    public let engine: SkewedSignsRR
    public let epochs: [Int]
    public let stepSizes: [Double]
    public let seeds: [UInt64]

    public init(components n: Int = 500, epochs: ClosedRange<Int> = 30...199, runs: Int, seed: UInt64) {
        engine = SkewedSignsRR(curvature: SkewedCurvature(steep: 4, shallow: 1), components: n, kick: 1)
        self.epochs = Array(epochs)
        stepSizes = self.epochs.map { AuthorsProtocol.stepSize(factor: 4, n: n, k: $0) }
        let key = StreamKey(claim: "bench.psgd.ksweep", masterSeed: seed)
        seeds = (0..<runs).map { key.child($0).seed }
    }

    public func runSwift() -> [Double] {
        var sum = [Double](repeating: 0, count: epochs.count)
        for seed in seeds {
            let x = engine.runLanes(epochs: epochs, stepSizes: stepSizes, from: 0, random: RandomStream(seed: seed))
            for l in 0..<x.count { sum[l] += x[l] * x[l] }
        }
        return sum.map { $0 / Double(seeds.count) }
    }

    public func runC() -> [Double] {
        var out = [Double](repeating: 0, count: epochs.count)
        let cSeeds = seeds.map { UInt(truncatingIfNeeded: $0) }
        epochs.withUnsafeBufferPointer { e in
            cref_psgd_skewed_ksweep(engine.components, epochs.count, e.baseAddress, stepSizes, 4, 1, 1, seeds.count, cSeeds, &out)
        }
        return out
    }

    public func workload() -> Workload {
        let laneSteps = epochs.reduce(0) { $0 + $1 * engine.components } * seeds.count
        return Workload(family: "psgd", name: "authors' K-sweep (skewed RR, lanes over K)",
                        size: "n = \(engine.components), K = \(epochs.first!)…\(epochs.last!), \(seeds.count) runs, \(laneSteps) lane-steps",
                        loopBound: true, flops: Double(laneSteps * 4),
                        calls: "`SkewedSignsRR.runLanes(epochs:stepSizes:from:random:)` · `cref_psgd_skewed_ksweep` · (no numpy: 10⁹ scalar steps)",
                        swift: runSwift, c: runC, numpy: nil)
    }
}
