import AdversarialMargins
import ClaimCore
import ContrastiveMinibatch
import InfiniteWidth
import LotterySubsetSum
import NewtonAttention
import PermutationSGD
import ThresholdMemorization

/// All registered claims, family by family. A new claim is added to its family's `…Claims.all` list.
public enum Registry {
    public static let claims: [any Claim] =
        PermutationSGDClaims.all
        + NewtonAttentionClaims.all
        + ThresholdMemorizationClaims.all
        + AdversarialMarginsClaims.all
        + ContrastiveMinibatchClaims.all
        + InfiniteWidthClaims.all
        + LotterySubsetSumClaims.all

    public static func claim(id: String) -> (any Claim)? { claims.first { $0.id == id } }

    public static func claims(in family: Family) -> [any Claim] { claims.filter { $0.family == family } }

    /// The families of the registered claims, in registration order.
    public static var families: [Family] { families(of: claims) }

    /// The distinct families of `claims`, in order of first appearance.
    public static func families(of claims: [any Claim]) -> [Family] {
        var seen = Set<Family>()
        return claims.map(\.family).filter { seen.insert($0).inserted }
    }
}
