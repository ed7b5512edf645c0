import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum ContrastiveMinibatchClaims {
    public static let all: [any Claim] = [FullBatchETF(), LossesDiffer(), AllBatchesETF(), StrictSubset(), OrderedSGD(), SpectralBatches()]
}
