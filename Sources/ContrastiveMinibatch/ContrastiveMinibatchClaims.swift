import ClaimCore

/// Every registered claim of this family, in the order `claimcheck list` shows them.
public enum ContrastiveMinibatchClaims {
    public static let all: [any Claim] = [FullBatchETF(), LossesDiffer(), AllBatchesETF(), StrictSubset(), OrderedSGD(), SpectralBatches()]
}

/// The family's paper, cited by its claims (one place).
extension Citation {
    /// Cho, Sreenivasan, Lee, Mun, Yi, Lee, Lee, Sohn, Papailiopoulos, Lee, TMLR 07/2024.
    static let miniBatchContrastive = Citation(
        title: "Mini-Batch Optimization of Contrastive Loss",
        authors: "Jaewoong Cho, Kartik Sreenivasan, Keon Lee, Kyunghoo Mun, Soheun Yi, Jeong-Gwan Lee, Anna Lee, Jy-yong Sohn, Dimitris Papailiopoulos, Kangwook Lee",
        venue: "Transactions on Machine Learning Research (07/2024)", arXiv: "2307.05906")
}
