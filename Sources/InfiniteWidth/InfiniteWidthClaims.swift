import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum InfiniteWidthClaims {
    public static let all: [any Claim] = [NTKAtInit(), LazyTraining(), FeatureDichotomy(), KernelRegression(), LearningRateTransfer(), PositiveDefiniteNTK()]
}
