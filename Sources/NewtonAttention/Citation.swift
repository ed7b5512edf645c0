import ClaimCore

extension Citation {
    /// [GYWPL] Giannou, Yang, Wang, Papailiopoulos, Lee (arXiv v1, March 2024; AISTATS 2025).
    static let newtonInContext = Citation(
        title: "How Well Can Transformers Emulate In-context Newton's Method?",
        authors: "Angeliki Giannou, Liu Yang, Tianhao Wang, Dimitris Papailiopoulos, Jason D. Lee",
        venue: "AISTATS 2025 (PMLR 258)", arXiv: "2403.03183")
}
