import CReference
import ClaimCore
import Testing
@testable import BenchmarkSuite

/// The benchmark compares Swift and C timings only if both compute the same numbers from the same seeds.
/// These tests check that at small sizes (no timing is asserted anywhere).
@Suite struct EquivalenceTests {
    @Test(arguments: [(1, 40, 25), (3, 17, 10), (10, 30, 8), (24, 6, 5)])
    func permutationSGDMatchesTheCReference(dimension: Int, components: Int, epochs: Int) throws {
        let workload = try PermutationSGDWorkload(dimension: dimension, components: components, epochs: epochs, seed: 7)
        let swift = workload.runSwift()
        let c = workload.runC()
        #expect(swift.count == dimension)
        #expect(relativeDifference(swift, c) <= 1e-12, "Swift \(swift) vs C \(c)")
        // The run moved: a check that cannot fail would also pass if both sides returned `start` untouched.
        #expect(relativeDifference(swift, workload.start) > 1e-6)
    }

    @Test func aDifferentSeedGivesADifferentRun() throws {
        let first = try PermutationSGDWorkload(dimension: 3, components: 20, epochs: 5, seed: 1)
        let second = try PermutationSGDWorkload(dimension: 3, components: 20, epochs: 5, seed: 2)
        #expect(relativeDifference(first.runSwift(), second.runSwift()) > 1e-9)
    }

    @Test(arguments: [1, 7, 64])
    func matrixProductMatchesRawDgemm(size: Int) throws {
        LibrarySetup.once
        let workload = DgemmWorkload(size: size, seed: 3)
        #expect(relativeDifference(workload.runSwift(), workload.runC()) <= 1e-12)
        let closures = workload.workload()
        let swift = try closures.swift(), c = try closures.c()
        #expect(relativeDifference(swift, c) <= 1e-12)
    }

    @Test func measureRefusesToTimeDisagreeingWays() {
        let workload = Workload(family: "test", name: "disagreeing", size: "1", loopBound: true,
                                swift: { [1, 2, 3] }, c: { [1, 2, 3 + 1e-9] }, numpy: nil)
        #expect(throws: BenchmarkFailure.self) {
            _ = try measure(workload, options: BenchmarkOptions(scripts: locatePackageRoot().appendingPathComponent("Benchmarks")))
        }
    }
}

@Suite struct ReportArithmeticTests {
    @Test func relativeDifferenceScalesByTheLargerOfOneAndTheResult() {
        #expect(abs(relativeDifference([0, 0.5], [0, 0.5 + 1e-3]) - 1e-3) < 1e-15)
        #expect(abs(relativeDifference([1000, 0], [1001, 0]) - 1e-3) < 1e-15)
        #expect(relativeDifference([1], [1, 2]) == .infinity)
        #expect(relativeDifference([.nan], [.nan]) == .infinity)
    }

    @Test func timingSummaries() {
        #expect(Timing(samples: [5, 1, 3]).median == 3)
        #expect(Timing(samples: [4, 1, 3, 2]).median == 2.5)
        #expect(Timing(samples: [4, 1, 3, 2]).minimum == 1)
        #expect(Timing(samples: [4, 1, 3, 2]).maximum == 4)
    }

    func result(swift: Double, c: Double, numpy: Double?, loopBound: Bool) -> BenchmarkResult {
        BenchmarkResult(family: "f", name: "w", size: "s", loopBound: loopBound, flops: nil, calls: "", swift: Timing(samples: [swift]),
                        c: Timing(samples: [c]), numpy: numpy.map { Timing(samples: [$0]) }, swiftVersusC: 0,
                        numpyVersusSwift: 0, numpyVersion: "x", numpyNote: nil)
    }

    @Test func targetVerdicts() {
        let machine = Machine.current()
        let report = PerformanceReport(measurements: [], machine: machine, runs: 5)
        #expect(report.verdicts(result(swift: 1.1, c: 1, numpy: 20, loopBound: true)) == ("met", "met"))
        #expect(report.verdicts(result(swift: 1.3, c: 1, numpy: 5, loopBound: true)) == ("MISSED", "MISSED"))
        #expect(report.verdicts(result(swift: 1, c: 1, numpy: 1, loopBound: false)) == ("met", "—"))
    }

    @Test func reportListsEveryWorkloadInMarkdownAndCSV() throws {
        let rows = [result(swift: 2, c: 1, numpy: 30, loopBound: true), result(swift: 1, c: 1, numpy: nil, loopBound: false)]
        let report = PerformanceReport(measurements: rows, machine: Machine.current(), runs: 5)
        #expect(report.csv.split(separator: "\n").count == 3)
        #expect(report.markdown.contains("| f | w | s | 2000 (2000–2000) | 1000 (1000–1000) | 30000 (30000–30000) | 2.000 | 15.0 |"))
        #expect(report.markdown.contains("processors (nproc)"))
        // Every row of the results table has as many cells as its header (no stray "|" inside a cell).
        let lines = report.markdown.split(separator: "\n")
        let header = try #require(lines.first { $0.hasPrefix("| family |") })
        for row in lines where row.hasPrefix("| f |") { #expect(row.filter { $0 == "|" }.count == header.filter { $0 == "|" }.count) }
    }
}
