import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum NewtonAttentionClaims {
    public static let all: [any Claim] = [
        LemmaOneNewtonStep(),
        SchulzStepsToAccuracy(),
        LeastSquaresInContext(),
        LogisticSelfConcordance(),
        InexactDampedNewton(),
        ReLUNewtonEmulation(),
    ]
}
