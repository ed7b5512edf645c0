import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum PermutationSGDClaims {
    public static let all: [any Claim] = [RRVersusReplacement(), ReplacementRate(), SchemeComparison(), FlipFlop(), RRRegimes(), SkewedLowerBound(), AuthorsProtocol(), RandomIsOptimal(), ExponentialPermutations()]
}
