import ClaimCore
import Foundation
import Testing

/// Runs the built `claimcheck` binary (it sits next to the test bundle) and captures exit code, stdout, stderr.
struct Invocation {
    let status: Int32
    /// false if the process died of a signal (a crash) instead of exiting.
    let exited: Bool
    let stdout: String
    let stderr: String

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("claimcheck")
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        exited = process.terminationReason == .exit
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }
}

/// A scratch package root with a small copy of the first claim's config (so CLI tests stay fast).
struct ScratchRoot {
    let url: URL
    /// The sweep with enough runs for the claim's verdicts (holds, control violated): ≈ 2 CPU-s per reproduce.
    static let smallConfig = """
        claim: psgd.rr-vs-replacement
        quick:
          components: 4
          epochs: [500, 1000, 2000, 4000, 8000]
          repetitions: 600
          steep_curvature: 4
          shallow_curvature: 1
          tolerance: 0.3
          constant_tolerance: 0.15
        full:
          components: 4
          epochs: [500, 1000, 2000, 4000, 8000]
          repetitions: 600
          steep_curvature: 4
          shallow_curvature: 1
          tolerance: 0.3
          constant_tolerance: 0.15

        """

    /// The same sweep with 40 runs per point, for tests of files, shards and exit codes, not of verdicts (≈ 0.15 CPU-s).
    static let lightConfig = smallConfig.replacingOccurrences(of: "repetitions: 600", with: "repetitions: 40")

    init(config: String = ScratchRoot.lightConfig) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("claimcheck-cli-\(UUID().uuidString)")
        let folder = url.appendingPathComponent("Experiments/permutation-sgd")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try config.write(to: folder.appendingPathComponent("rr-vs-replacement.yaml"), atomically: true, encoding: .utf8)
    }

    func file(_ path: String) -> Data? { FileManager.default.contents(atPath: url.appendingPathComponent(path).path) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite struct CommandLineTests {
    @Test func listShowsEveryRegisteredClaim() throws {
        let run = try Invocation(["list"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("psgd.rr-vs-replacement"))
        #expect(run.stdout.contains("arXiv:2002.10400"))
    }

    @Test func unknownIdIsOneLineAndNonZeroExit() throws {
        let run = try Invocation(["verify", "psgd.no-such-claim"])
        #expect(run.status == 2)
        #expect(run.stderr == "claimcheck: error: unknown claim id 'psgd.no-such-claim'; run `claimcheck list` to see the \(run.stderr.split(separator: " ")[12]) registered ids\n")
    }

    @Test(arguments: [["verify", "--seed", "abc"], ["verify", "--seed", "-3"], ["verify", "--scale", "huge"], ["reproduce", "--family", "nope"]])
    func badArgumentsExitTwo(arguments: [String]) throws {
        let run = try Invocation(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains("rror"))
    }

    @Test func malformedConfigFailsBeforeRunningAndLeavesResultsUntouched() throws {
        let root = try ScratchRoot(config: "claim: psgd.rr-vs-replacement\nquick:\n  components: four\nfull:\n  components: four\n")
        defer { root.remove() }
        let output = root.url.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("permutation-sgd"), withIntermediateDirectories: true)
        try "previous".write(to: output.appendingPathComponent("permutation-sgd/rr-vs-replacement.md"), atomically: true, encoding: .utf8)
        let run = try Invocation(["reproduce", "psgd.rr-vs-replacement", "--root", root.url.path, "--output", output.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("rr-vs-replacement.yaml: full.components: expected an integer"))
        #expect(root.file("results/permutation-sgd/rr-vs-replacement.md") == Data("previous".utf8))
    }

    @Test func verifyPrintsVerdictTableAndControls() throws {
        let root = try ScratchRoot(config: ScratchRoot.smallConfig)
        defer { root.remove() }
        let run = try Invocation(["verify", "psgd.rr-vs-replacement", "--controls", "--root", root.url.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("psgd.rr-vs-replacement  holds"))
        #expect(run.stdout.contains("control replacement-claimed-as-reshuffling: violated"))
    }

    /// Same seed ⇒ identical bytes, whatever the worker-thread and BLAS-thread counts.
    @Test func reproduceIsByteIdenticalAcrossRunsAndThreadCounts() throws {
        // Byte identity does not need the verdict's sample size: a lighter sweep keeps `swift test` fast.
        let root = try ScratchRoot(config: ScratchRoot.smallConfig.replacingOccurrences(of: "repetitions: 600", with: "repetitions: 120"))
        defer { root.remove() }
        var outputs: [[Data?]] = []
        for (index, threads) in ["1", "2"].enumerated() {
            let output = root.url.appendingPathComponent("results\(index)")
            let run = try Invocation(["reproduce", "psgd.rr-vs-replacement", "--scale", "quick", "--root", root.url.path, "--output", output.path],
                                     environment: ["CLAIMCHECK_THREADS": threads, "OPENBLAS_NUM_THREADS": threads])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("[psgd.rr-vs-replacement]"), "progress lines on stderr")
            outputs.append(["md", "csv", "svg"].map { root.file("results\(index)/permutation-sgd/rr-vs-replacement.\($0)") } + [root.file("results\(index)/README.md")])
        }
        #expect(outputs[0].allSatisfy { $0 != nil && !$0!.isEmpty })
        #expect(outputs[0] == outputs[1])
    }

    @Test func unwritableOutputIsOneClearLine() throws {
        let root = try ScratchRoot()
        defer { root.remove() }
        let blocker = root.url.appendingPathComponent("file")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let run = try Invocation(["reproduce", "psgd.rr-vs-replacement", "--root", root.url.path, "--output", blocker.appendingPathComponent("sub").path])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("claimcheck: error: cannot create output folder"))
    }
}

@Suite struct ReadmeTests {
    /// README.md's claims table is exactly `claimcheck list --markdown`.
    @Test func readmeClaimsTableMatchesRegistry() throws {
        let readme = try String(contentsOf: locatePackageRoot().appendingPathComponent("README.md"), encoding: .utf8)
        let table = try Invocation(["list", "--markdown"]).stdout
        #expect(readme.contains("<!-- claims-table -->\n" + table + "<!-- /claims-table -->"), "regenerate with: claimcheck list --markdown")
    }
}
