import ClaimCheckCLI
import GradientDescent

// list, verify, reproduce and merge over this package's claims, with its own Experiments/, Proofs/ and results/.
ClaimCheckCommand.main(claims: GradientDescentClaims.all)
