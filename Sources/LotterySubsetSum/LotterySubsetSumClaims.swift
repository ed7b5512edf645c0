import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum LotterySubsetSumClaims {
    public static let all: [any Claim] = [LuekerCoverage(), CountingBound(), ReLUWeight(), NetworkWidth(), Optimality(), BinaryNetworks(), AuthorsExperiment()]
}
