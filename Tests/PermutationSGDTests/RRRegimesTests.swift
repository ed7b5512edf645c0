import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct RRRegimesTests {


    /// The two-term fit recovers F and B from exact data y = F/K³ + B/K².
    @Test func twoTermFitRecoversCrossover() throws {
        let epochs = [8, 16, 32, 64, 128, 256]
        let estimates = try epochs.map { k -> MeanEstimate in
            let m = 100 / pow(Double(k), 3) + 1 / pow(Double(k), 2)
            return try MeanEstimate([m * 0.99, m * 1.01])
        }
        let fit = try #require(try RRRegimes.fitTwoTerms(epochs: epochs, estimates: estimates))
        #expect(abs(fit.ratio - 100) < 1e-6)
    }
}
