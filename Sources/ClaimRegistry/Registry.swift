import AdversarialMargins
import ClaimCore
import ContrastiveMinibatch
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
        + LotterySubsetSumClaims.all

    public static func claim(id: String) -> (any Claim)? { claims.first { $0.id == id } }

    public static func claims(in family: Family) -> [any Claim] { claims.filter { $0.family == family } }
}
