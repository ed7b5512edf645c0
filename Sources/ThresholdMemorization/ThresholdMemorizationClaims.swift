import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum ThresholdMemorizationClaims {
    public static let all: [any Claim] = [Memorization(), HyperplaneSeparation(), NeuronCount(), WeightCount(), LowerBounds()]

    static let citation = Citation(
        title: "An Exponential Improvement on the Memorization Capacity of Deep Threshold Networks",
        authors: "Shashank Rajput, Kartik Sreenivasan, Dimitris Papailiopoulos, Amin Karbasi",
        venue: "NeurIPS 2021 (Advances in Neural Information Processing Systems 34)", arXiv: "2106.07724")
}
