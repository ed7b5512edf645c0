import ClaimCheckCLI
import ClaimRegistry

ClaimCheckCommand.main(claims: Registry.claims)
