@testable import ClaimCheckCLI
import ClaimCore
import Testing

/// The registration API and the exit-code rules, tested in process.
@Suite struct EntryPointTests {
    struct Dummy: Claim {
        let id: String
        var family: Family = Family(folder: "dummies", prefix: "dummy", title: "Dummies")
        let citation = Citation(title: "t", authors: "a", venue: "v")
        let statement = "s"
        let guarantee = Guarantee.exact
        let parameters: [ParameterSpec] = []
        let controls: [NegativeControl] = []
        func run(_ context: RunContext) throws -> Report { Report(claimID: id, control: nil, checks: [], table: Table(columns: [])) }
    }

    @Test func duplicateIdsAndForeignPrefixesAreRefused() {
        #expect(Registry.install([Dummy(id: "dummy.a"), Dummy(id: "dummy.a")]) == "claim id 'dummy.a' is registered twice")
        #expect(Registry.install([Dummy(id: "other.a")])?.contains("must start with its family prefix 'dummy.'") == true)
    }

    @Test func strictTurnsInconclusiveIntoFailure() {
        var lenient = VerdictTally(strict: false), strict = VerdictTally(strict: true)
        for v in [Verdict.holds, .inconclusive] { lenient.add(v); strict.add(v) }
        #expect(lenient.failure == nil)
        #expect(strict.failure == "1 inconclusive (--strict)")
        #expect(strict.summary(elapsed: 1.5).hasPrefix("2 claims: 1 holds, 1 inconclusive · 1.5 s"))
    }

    @Test func assignmentsSplitAtTheFirstEquals() throws {
        #expect(try Assignment(parsing: "epochs=[1, 2, 3]") == Assignment(key: "epochs", value: "[1, 2, 3]"))
        #expect(throws: UsageFailure.self) { try Assignment(parsing: "=3") }
        #expect(throws: UsageFailure.self) { try Assignment(parsing: "a=1 # comment") }
    }

    @Test func longLinesAreCutAt100Columns() {
        let check = Check.within(String(repeating: "long name ", count: 20), estimate: 1.01, interval: Interval(0.99, 1.03), predicted: 1,
                                 tolerance: 0.1, maxHalfWidth: 0.1)
        let report = Report(claimID: "x.y", control: nil, checks: [check], table: Table(columns: []))
        let line = claimLine("x." + String(repeating: "z", count: 60), report, idWidth: 36)
        #expect(line.count == 100)
        #expect(line.contains("1.01 [0.99, 1.03] vs [0.9, 1.1]"), "the numbers survive the cut: \(line)")
    }
}
