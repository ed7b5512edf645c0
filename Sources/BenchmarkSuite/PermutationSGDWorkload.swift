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
