import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum ThresholdMemorizationClaims {
    public static let all: [any Claim] = []
}
