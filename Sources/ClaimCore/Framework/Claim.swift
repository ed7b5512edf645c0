/// Where a claim comes from.
public struct Citation: Sendable, Equatable {
    public let title: String
    public let authors: String
    public let venue: String
    /// arXiv identifier such as "2002.10400", if the paper has one.
    public let arXiv: String?

    public init(title: String, authors: String, venue: String, arXiv: String? = nil) {
        self.title = title
        self.authors = authors
        self.venue = venue
        self.arXiv = arXiv
    }

    /// "Authors, *Title*, Venue, arXiv:…".
    public var text: String {
        [authors, "\u{201C}\(title)\u{201D}", venue, arXiv.map { "arXiv:\($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}

/// What kind of guarantee the paper states (PEPit's vocabulary): a rate matched by a lower bound, an upper bound,
/// a lower bound, or an exact identity/construction.
public enum Guarantee: String, Sendable, CaseIterable {
    case tight, upper, lower, exact
}

/// A claim family: one paper (or a small group of papers), one folder in Sources/, Tests/, Experiments/, Proofs/, results/.
public struct Family: Sendable, Hashable {
    /// Folder name, e.g. "permutation-sgd".
    public let folder: String
    /// Claim id prefix, e.g. "psgd".
    public let prefix: String
    public let title: String

    public init(folder: String, prefix: String, title: String) {
        self.folder = folder
        self.prefix = prefix
        self.title = title
    }

    public static let permutationSGD = Family(folder: "permutation-sgd", prefix: "psgd", title: "Permutation-based SGD")
    public static let newtonAttention = Family(folder: "newton-linear-attention", prefix: "newton", title: "Newton's method in context via linear attention")
    public static let thresholdMemorization = Family(folder: "threshold-memorization", prefix: "threshold", title: "Memorization capacity of deep threshold networks")
    public static let adversarialMargins = Family(folder: "adversarial-margins", prefix: "adv", title: "Adversarial training margins on separable data")
    public static let contrastiveMinibatch = Family(folder: "contrastive-minibatch", prefix: "contrastive", title: "Mini-batch optimization of contrastive loss")

}

/// A deliberately wrong variant of a claim (wrong sampling scheme, wrong exponent, perturbed weight, …) that the
/// claim's own check must reject with `violated`.
public struct NegativeControl: Sendable, Hashable, Codable {
    /// Short id, unique within the claim, e.g. "replacement-claimed-as-reshuffling".
    public let id: String
    public let description: String
    public init(id: String, description: String) {
        self.id = id
        self.description = description
    }
}

/// Where a claim's statement comes from (issue 13). Never credit a derived statement to a paper.
public enum StatementSource: Sendable, Equatable {
    /// Read in the paper, at `where` ("Theorem 4.2", "Lemma 4.1", "abstract").
    case paper(String)
    /// The project's own reconstruction of the statement, instance or constant (the paper's text could not be read,
    /// or the project chose the instance); `how` in one line, the Proofs note has the derivation.
    case derived(String)

    /// The placeholder a claim has until its source is reviewed; a registry test rejects it.
    public static let unreviewed = StatementSource.derived("not yet reviewed")

    public var kind: String {
        switch self {
        case .paper: return "paper"
        case .derived: return "derived"
        }
    }

    /// Where in the paper, or how it was derived.
    public var detail: String {
        switch self {
        case let .paper(text), let .derived(text): return text
        }
    }

    /// "paper: Theorem 1" / "derived: …", for tables.
    public var short: String { "\(kind): \(detail)" }
}

extension StatementSource: Codable {
    private enum CodingKeys: String, CodingKey { case kind, `where` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        let detail = try c.decode(String.self, forKey: .where)
        switch kind {
        case "paper": self = .paper(detail)
        case "derived": self = .derived(detail)
        default: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "source kind must be paper or derived, got \(kind)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(detail, forKey: .where)
    }
}

/// Sweep sizes: `quick` runs inside `swift test`, `full` produces `results/`.
public enum Scale: String, Sendable, CaseIterable {
    case quick, full
}

/// A published statement turned into an executable, falsifiable check.
///
/// A conforming type reads top to bottom: citation and statement, parameters, experiment, predicted bound, check.
/// `run` builds the paper's setting from `context.parameters`, measures, fits, and returns a `Report` whose
/// verdict follows from its checks. With `context.control` set, it runs that negative control instead and applies
/// the same checks, which must then come out `violated`.
public protocol Claim: Sendable {
    /// Stable id "<family prefix>.<name>", e.g. "psgd.rr-vs-replacement".
    var id: String { get }
    var family: Family { get }
    var citation: Citation { get }
    /// Where the statement comes from: read in the paper (where), or derived by the project (how).
    var source: StatementSource { get }
    /// One sentence: what the paper states.
    var statement: String { get }
    var guarantee: Guarantee { get }
    /// The keys its Experiments config must provide at each scale, with their types and ranges.
    var parameters: [ParameterSpec] { get }
    /// At least one deliberately wrong variant that the check must reject.
    var controls: [NegativeControl] { get }

    func run(_ context: RunContext) throws -> Report

    /// The theorem's hypotheses and other constraints between or beyond the declared ranges (e.g. "n must be even",
    /// "µ > 0 (Theorem 5.4)"), checked when the config is loaded, before anything runs: a setting outside a theorem's
    /// hypotheses is a configuration error, never a falsification. Returns the offending key and the problem (naming
    /// the hypothesis), or nil. Default: none.
    func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)?
}

extension Claim {
    public var source: StatementSource { .unreviewed }

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? { nil }

    /// The id without its family prefix: the file name used in Experiments/, Proofs/ and results/.
    public var name: String {
        guard let dot = id.firstIndex(of: ".") else { return id }
        return String(id[id.index(after: dot)...])
    }

    public var configPath: String { "Experiments/\(family.folder)/\(name).yaml" }
    public var proofPath: String { "Proofs/\(family.folder)/\(name).md" }
}
