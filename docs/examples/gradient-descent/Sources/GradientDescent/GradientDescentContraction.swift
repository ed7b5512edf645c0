import ClaimCore
import Foundation

/// **Gradient descent with step 1/L contracts by (1 − μ/L) per step.** For f(x) = ½ xᵀAx with μI ⪯ A ⪯ LI, gradient
/// descent x_{k+1} = x_k − A x_k / L satisfies ‖x_k − x*‖² ≤ (1 − μ/L)^{2k} ‖x₀ − x*‖², with equality when x₀ − x*
/// is an eigenvector of eigenvalue μ (Nesterov 2004, §2.1.5, specialised to quadratics; see the Proofs note).
public struct GradientDescentContraction: Claim {
    public init() {}
    public let id = "gd.contraction"
    public let family = Family.gradientDescent
    public let citation = Citation(title: "Introductory Lectures on Convex Optimization", authors: "Yurii Nesterov", venue: "Springer 2004")
    public let source = StatementSource.derived("Thm 2.1.15's argument specialised to quadratics with step 1/L (Proofs note)")
    public let statement = "Gradient descent with step 1/L on a μ-strongly convex, L-smooth quadratic has ‖x_k − x*‖² ≤ (1 − μ/L)^{2k} ‖x₀ − x*‖², with equality on the slowest eigenvector."
    public let guarantee = Guarantee.tight
    public let parameters = [
        ParameterSpec("dimension", .integer(2...500), "d, dimension of x"),
        ParameterSpec("condition", .real(1.5...1000), "κ = L/μ, with μ = 1"),
        ParameterSpec("steps", .integers(1...100_000, minCount: 3, increasing: true), "iteration counts k at which the ratio is measured"),
        ParameterSpec("starts", .integer(2...10_000), "starting points: the slowest eigenvector, then Gaussian ones"),
    ]
    public let controls = [
        NegativeControl(id: "optimal-step-rate", description: "claims the rate ((κ−1)/(κ+1))^{2k} of the step 2/(μ+L) for the step 1/L"),
    ]

    /// The bound must stay representable: (1 − 1/κ)^{2k} ≥ 1e-280 at the largest k.
    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let kappa = try? parameters.double("condition"), let k = try? parameters.ints("steps").last else { return nil }
        let exponent = 2 * Double(k) * -log1p(-1 / kappa)
        return exponent > 644 ? ("steps", "(1 − 1/κ)^{2k} underflows at k = \(k) for κ = \(kappa); use k ≤ \(Int(644 / (-2 * log1p(-1 / kappa))))") : nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let d = try context.parameters.int("dimension")
        let kappa = try context.parameters.double("condition")
        let steps = try context.parameters.ints("steps")
        let starts = try context.parameters.int("starts")
        // A = Q diag(λ) Qᵀ with eigenvalues from μ = 1 to L = κ; the step is 1/L.
        let random = RandomStream(context.streams.child(0))
        let q = try random.orthogonalMatrix(d)
        let eigenvalues = (0..<d).map { 1 + (kappa - 1) * Double($0) / Double(d - 1) }
        let a = q * Matrix.diagonal(eigenvalues) * q.transposed
        // Predicted contraction per step of the distance; the control claims the optimal step's faster rate.
        let rate = context.isControl("optimal-step-rate") ? (kappa - 1) / (kappa + 1) : 1 - 1 / kappa
        // Start 0 is the eigenvector of μ (the hardest start: equality); the others are Gaussian.
        let worst = try parallelMap(starts) { s -> Double in
            var x = s == 0 ? q.column(0) : RandomStream(context.streams.child(1, s)).gaussians(d)
            let start = Vector.dot(x, x)
            var ratio = 0.0, k = 0
            for target in steps {
                while k < target { Vector.axpy(-1 / kappa, a * x, &x); k += 1 }
                ratio = max(ratio, Vector.dot(x, x) / (pow(rate, Double(2 * k)) * start))
            }
            return ratio
        }
        var table = Table(columns: ["start", "max over k of ‖x_k‖²/(rate^{2k}‖x₀‖²)"])
        for (s, ratio) in worst.enumerated() { table.append([.text(s == 0 ? "slowest eigenvector" : "gaussian \(s)"), .real(ratio)]) }
        // The bound holds for every start (≤ 1 up to rounding), and the slowest eigenvector attains it (tight).
        let bound = Check.atMost("max ratio ‖x_k‖²/bound over starts and k", measured: worst.max()!, bound: 1 + 1e-9)
        let attained = Check.close("ratio on the slowest eigenvector", measured: worst[0], expected: 1, relativeTolerance: 1e-9)
        return Report(claimID: id, control: context.control, checks: [bound, attained], table: table)
    }
}
