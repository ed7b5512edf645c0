import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum AdversarialMarginsClaims {
    public static let all: [any Claim] = [
        RobustRiskRate(),
        MarginIterations(),
        ERMRounds(),
        AugmentationMargin(),
        TransferableDirections(),
    ]
}
