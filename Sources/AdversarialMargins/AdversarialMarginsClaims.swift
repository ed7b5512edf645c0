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

/// The family's papers, cited by its claims (one place).
extension Citation {
    static let crwp = Citation(title: "Convergence and Margin of Adversarial Training on Separable Data",
                               authors: "Zachary Charles, Shashank Rajput, Stephen Wright, Dimitris Papailiopoulos",
                               venue: "arXiv preprint (2019)", arXiv: "1905.09209")
    static let rfclp = Citation(title: "Does Data Augmentation Lead to Positive Margin?",
                                authors: "Shashank Rajput, Zhili Feng, Zachary Charles, Po-Ling Loh, Dimitris Papailiopoulos",
                                venue: "ICML 2019 (PMLR 97)", arXiv: "1905.03177")
    static let crp = Citation(title: "A Geometric Perspective on the Transferability of Adversarial Directions",
                              authors: "Zachary Charles, Harrison Rosenberg, Dimitris Papailiopoulos",
                              venue: "AISTATS 2019 (PMLR 89)", arXiv: "1811.03531")
}
