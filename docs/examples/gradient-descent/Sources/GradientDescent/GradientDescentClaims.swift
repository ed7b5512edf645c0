import ClaimCore

extension Family {
    /// Folder name under Experiments/, Proofs/ and results/; prefix of every claim id.
    public static let gradientDescent = Family(folder: "gradient-descent", prefix: "gd", title: "Gradient descent on strongly convex quadratics")
}

/// Every claim of this package, in the order `list` and `verify` show them.
public enum GradientDescentClaims {
    public static let all: [any Claim] = [GradientDescentContraction()]
}
