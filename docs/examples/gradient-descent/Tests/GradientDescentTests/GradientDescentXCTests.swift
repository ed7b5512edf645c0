import ClaimCheckTesting
import GradientDescent
import XCTest

/// One XCTest method per claim and per negative control, as in claimcheck's own Tests/ClaimXCTests.
final class GradientDescentXCTests: XCTestCase {
    func test_contraction() {
        XCTAssertClaimHolds(GradientDescentContraction())
    }

    func test_contraction_optimalStepRate() {
        XCTAssertControlViolated(GradientDescentContraction(), control: "optimal-step-rate")
    }
}
