import ClaimCore
import Foundation

/// **IW6 — the limiting NTK is positive definite on the sphere, and singular exactly where the derivation says**
/// (JGH18 Prop. 2: non-polynomial Lipschitz σ, β > 0, at least one hidden layer ⇒ Θ is positive definite on the
/// unit sphere).
///
/// Sets in d dimensions on the √d-sphere: 2N generic points, and N antipodal pairs {±xᵢ}, N ∈ `pairs`, `draws`
/// random sets each. Rank test: eigenvalues (dsyevd) below `threshold`·λ_max count as null.
/// Checks (exact counts): β > 0, L ∈ `depths`: no null eigenvalue on any set (the theorem); β = 0, two hidden layers:
/// none either (derived); β = 0, one hidden layer, antipodal sets: exactly N − d null eigenvalues, because
/// Θ(u) − Θ(−u) = u (derived: the odd part of the one-layer ReLU NTK is linear), checked as an identity too.
public struct PositiveDefiniteNTK: Claim {
    public init() {}

    public let id = "width.positive-definite-ntk"
    public let family = Family.infiniteWidth
    public let citation = Citation.neuralTangentKernel
    public let statement = "For a non-polynomial Lipschitz activation and β > 0 the limiting NTK is positive definite on the sphere (at least one hidden layer); for ReLU without bias and one hidden layer it is singular on antipodal sets, with exactly N − d null directions on N > d pairs."
    public let guarantee = Guarantee.exact
    public let source = StatementSource.paper("Proposition 2 (β > 0, non-polynomial Lipschitz σ: positive definite on the sphere); the β = 0 null count N − d is derived in the Proofs note")

    public let parameters = [
        ParameterSpec("dimension", .integer(2...32), "input dimension d"),
        ParameterSpec("pairs", .integers(3...200, minCount: 1, increasing: true), "N: antipodal pairs per set (generic sets have 2N points); each N > d"),
        ParameterSpec("draws", .integer(1...1000), "random sets per N"),
        ParameterSpec("depths", .integers(1...6, minCount: 1, increasing: true), "hidden-layer counts L tested with β > 0"),
        ParameterSpec("beta", .real(0.001...10), "bias scale β of the positive-definite case"),
        ParameterSpec("threshold", .real(1e-15...1e-4), "an eigenvalue below threshold·λ_max counts as null"),
    ]

    public let controls = [
        NegativeControl(id: "polynomial-activation", description: "σ(z) = z (polynomial, outside Prop. 2): the kernel has rank ≤ d + 1, so it must not be positive definite"),
        NegativeControl(id: "without-bias", description: "Prop. 2 used outside its hypothesis: β = 0 in the positive-definiteness check (one hidden layer is singular on antipodal sets)"),
    ]

    public func invalidParameters(_ p: Parameters) -> (key: String, problem: String)? {
        guard let d = try? p.int("dimension"), let pairs = try? p.ints("pairs") else { return nil }
        if pairs.contains(where: { $0 <= d }) { return ("pairs", "each N must exceed the dimension d = \(d) (N − d null directions)") }
        return nil
    }

    struct PointSet {
        let kind: String
        let pairs: Int
        let points: Matrix
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let d = try p.int("dimension"), draws = try p.int("draws"), threshold = try p.double("threshold")
        let beta = try p.double("beta"), depths = try p.ints("depths")
        var sets: [PointSet] = []
        for (k, n) in try p.ints("pairs").enumerated() {
            for r in 0..<draws {
                let random = RandomStream(context.streams.child(k, r))
                sets.append(PointSet(kind: "generic", pairs: n, points: sphereInputs(count: 2 * n, dimension: d, random: random)))
                let half = sphereInputs(count: n, dimension: d, random: random)
                var both = Matrix(rows: 2 * n, columns: d)
                for i in 0..<n { for c in 0..<d { both[i, c] = half[i, c]; both[n + i, c] = -half[i, c] } }
                sets.append(PointSet(kind: "antipodal", pairs: n, points: both))
            }
        }
        let activation: Activation = context.isControl("polynomial-activation") ? .identity : .relu
        let pdBeta = context.isControl("without-bias") ? 0 : beta

        var table = Table(columns: ["kernel", "set", "N", "points", "min λ_min/λ_max", "max null eigenvalues", "predicted null eigenvalues"])
        /// (smallest ratio, largest null count) of `kernel` over the sets of one kind and size.
        func spectrum(_ kernel: ArcCosineNTK, _ set: PointSet) throws -> (ratio: Double, nulls: Int) {
            let values = try kernel.ntk(set.points).symmetricEigenvalues()
            guard let top = values.last, top.isFinite, top > 0, values.allSatisfy(\.isFinite) else {
                throw NumericsError.nonFinite("NTK spectrum of a \(set.kind) set is not finite and positive")
            }
            return (values[0] / top, values.filter { $0 < threshold * top }.count)
        }
        func survey(_ kernel: ArcCosineNTK, label: String, kinds: [String], predicted: (PointSet) -> Int) throws -> (nulls: Int, mismatches: Int) {
            var total = 0, mismatches = 0
            for kind in kinds {
                for n in try p.ints("pairs") {
                    let group = sets.filter { $0.kind == kind && $0.pairs == n }
                    let results = try group.map { try spectrum(kernel, $0) }
                    let expected = predicted(group[0])
                    total += results.map(\.nulls).reduce(0, +)
                    mismatches += results.filter { $0.nulls != expected }.count
                    table.append([.text(label), .text(kind), .integer(n), .integer(2 * n), .real(results.map(\.ratio).min()!), .integer(results.map(\.nulls).max()!), .integer(expected)])
                }
            }
            return (total, mismatches)
        }

        var checks: [Check] = []
        for layers in depths {
            let kernel = ArcCosineNTK(layers: layers, beta: pdBeta, activation: activation)
            let label = "\(activation == .relu ? "ReLU" : "σ(z) = z"), L = \(layers), β = \(formatShort(pdBeta))"
            let r = try survey(kernel, label: label, kinds: ["generic", "antipodal"]) { _ in 0 }
            checks.append(.exact("positive definite on every set: \(label)", holds: r.nulls == 0, detail: "\(r.nulls) null eigenvalues over \(sets.count) sets"))
        }
        let deep = try survey(ArcCosineNTK(layers: 2), label: "ReLU, L = 2, β = 0", kinds: ["antipodal"]) { _ in 0 }
        checks.append(.exact("positive definite on antipodal sets without bias when L = 2", holds: deep.nulls == 0, detail: "\(deep.nulls) null eigenvalues"))
        let shallow = try survey(ArcCosineNTK(layers: 1), label: "ReLU, L = 1, β = 0", kinds: ["antipodal"]) { max($0.pairs - d, 0) }
        checks.append(.exact("exactly N − d null eigenvalues on N antipodal pairs, L = 1, β = 0", holds: shallow.mismatches == 0,
                             detail: "\(shallow.mismatches) sets with a different null count"))
        let residual = stride(from: -1.0, through: 1.0, by: 1.0 / 64).map { u in
            abs(ArcCosineNTK(layers: 1).ntk(cosine: u) - ArcCosineNTK(layers: 1).ntk(cosine: -u) - u)
        }.max()!
        checks.append(Check.atMost("max_u |Θ(u) − Θ(−u) − u|, L = 1, β = 0 (129 angles)", measured: residual, bound: 1e-14))

        let notes = [
            "Null eigenvalue: below \(formatShort(threshold))·λ_max (dsyevd on the symmetric N×N Gram). The β = 0, L = 1 null eigenvalues are ≈ 1e-17·λ_max; positive-definite sets stay above 1e-4.",
            "Rank of the one-layer β = 0 kernel on N antipodal pairs: even part full rank N, odd part u/2 = x·x'/(2d) of rank d.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes, parameters: p.summary)
    }
}
