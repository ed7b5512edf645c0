import ClaimCore
import Foundation
import Testing

/// Issue 19: short verify lines with a summary, --explain, --set/--config validated like configs, list --parameters,
/// --strict and the help text. Uses the fastest claim (an exact identity) so each run takes about a second.
@Suite struct ResearcherTests {
    static let fast = "newton.schulz-residual-identity"

    @Test func verifyLinesFitIn100ColumnsAndEndWithASummary() throws {
        let run = try Invocation(["verify", Self.fast, "threshold.neuron-count", "--controls"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for line in lines { #expect(line.count <= 100, "\(line.count) columns: \(line)") }
        #expect(lines.first?.hasPrefix(Self.fast) == true)
        #expect(lines.last?.hasPrefix("2 claims: 2 holds · controls 2/2 violated · ") == true, "\(lines.last ?? "")")
        #expect(run.stderr.isEmpty, "progress must stay off when stderr is not a terminal: \(run.stderr)")
    }

    @Test func progressIsForcedWithTheFlag() throws {
        let run = try Invocation(["verify", Self.fast, "--progress"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("[1/1] \(Self.fast)") && run.stderr.contains("elapsed"), "\(run.stderr)")
    }

    @Test func explainShowsChecksWithRolesControlsAndMeasurements() throws {
        let run = try Invocation(["verify", "--explain", Self.fast])
        #expect(run.status == 0, "\(run.stderr)")
        for part in ["\(Self.fast) — holds", "Checks (", "role", "Negative controls", "rejected as it must be", "Measurements ("] {
            #expect(run.stdout.contains(part), "missing \(part)")
        }
    }

    @Test func setOverridesOneValueAndIsRecordedInJSON() throws {
        let run = try Invocation(["verify", "threshold.neuron-count", "--set", "seeds=6", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let record = (document?["claims"] as? [[String: Any]])?.first
        #expect((record?["parameters"] as? [String: Any])?["seeds"] as? Int == 6)
        #expect((record?["overrides"] as? [String: Any])?["seeds"] as? Int == 5, "the configured value is recorded")
    }

    @Test(arguments: [
        (["--set", "seeds=3"], "--set: quick.seeds: expected an integer in 5…1000, got 3"),
        (["--set", "sizes=[8,16,32]"], "expected a list of ≥ 5 increasing integers"),
        (["--set", "nope=3"], "--set nope: not a parameter of threshold.neuron-count; allowed: fixed_points"),
        (["--set", "seeds"], "expected key=value"),
        (["--set", "seeds=6", "--set", "seeds=7"], "given twice"),
        (["--config", "/nonexistent/config.yaml"], "cannot read the file"),
    ])
    func badOverridesExit2WithOneLine(extra: [String], message: String) throws {
        let run = try Invocation(["verify", "threshold.neuron-count"] + extra)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty, "nothing runs: \(run.stdout)")
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func setNeedsExactlyOneClaim() throws {
        let run = try Invocation(["verify", Self.fast, "threshold.neuron-count", "--set", "seeds=6"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("apply to one claim"))
    }

    @Test func hypothesesApplyToOverrides() throws {
        // psgd claims need an even number of components (a hypothesis in invalidParameters, not a range).
        let run = try Invocation(["verify", "psgd.rr-vs-replacement", "--set", "components=5"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--set: quick.components"), "\(run.stderr)")
    }

    @Test func configFileRunsOneClaimAndIsValidated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("claimcheck-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try String(contentsOf: locatePackageRoot().appendingPathComponent("Experiments/newton-linear-attention/schulz-residual-identity.yaml"),
                                  encoding: .utf8)
        let good = folder.appendingPathComponent("mine.yaml")
        try original.write(to: good, atomically: true, encoding: .utf8)
        let run = try Invocation(["verify", Self.fast, "--config", good.path, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"configFile\" : \"\(good.path)\""))
        let bad = folder.appendingPathComponent("bad.yaml")
        try original.replacingOccurrences(of: "claim: \(Self.fast)", with: "claim: other").write(to: bad, atomically: true, encoding: .utf8)
        let refused = try Invocation(["verify", Self.fast, "--config", bad.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(bad.path): claim: names other"), "\(refused.stderr)")
    }

    @Test func listParametersShowsTypesRangesAndValuesPerScale() throws {
        let run = try Invocation(["list", "--parameters", "threshold.neuron-count"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("parameter") && run.stdout.contains("quick") && run.stdout.contains("full"))
        #expect(run.stdout.contains("seeds") && run.stdout.contains("5…1000"), "\(run.stdout)")
        let unknown = try Invocation(["list", "--parameters", "nope.nope"])
        #expect(unknown.status == 2)
    }

    @Test func helpExplainsVerdictsExitCodesAndStrict() throws {
        for command in ["verify", "reproduce"] {
            let run = try Invocation([command, "--help"])
            for part in ["inconclusive", "Exit codes", "  2  bad input"] { #expect(run.stdout.contains(part), "\(command) --help lacks \(part)") }
        }
        #expect(try Invocation(["verify", "--help"]).stdout.contains("--strict"))
    }
}
