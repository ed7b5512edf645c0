import Foundation
import Testing

/// `reproduce --shard I/N` + `merge` reproduces a single-process run byte for byte, and refuses incomplete or
/// inconsistent sets of partials.
@Suite struct ShardingTests {
    func run(_ root: ScratchRoot, _ arguments: [String], environment: [String: String] = [:]) throws -> Invocation {
        try Invocation(arguments + ["--root", root.url.path], environment: environment)
    }

    func shard(_ root: ScratchRoot, _ spec: String, partials: String = "parts") throws -> Invocation {
        try run(root, ["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--shard", spec, "--partials", root.url.appendingPathComponent(partials).path])
    }

    func partial(_ root: ScratchRoot, _ name: String) -> String { root.url.appendingPathComponent(name).path }

    @Test func twoShardsMergeToTheSingleProcessBytes() throws {
        let root = try ScratchRoot()
        defer { root.remove() }
        let single = try run(root, ["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--output", partial(root, "single")])
        #expect(single.status == 0, "\(single.stderr)")
        for i in 1...2 {
            // shard 2 comes from a SLURM-style environment (array 0-1) instead of --shard
            let r = i == 2
                ? try run(root, ["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--partials", partial(root, "parts")],
                          environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "1", "SLURM_ARRAY_TASK_COUNT": "2"])
                : try shard(root, "\(i)/2")
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = try run(root, ["merge"] + (1...2).map { partial(root, "parts/shard-\($0)-of-2.json") } + ["--output", partial(root, "merged")])
        #expect(merged.status == 0, "\(merged.stderr)")
        for file in ["permutation-sgd/rr-vs-replacement.md", "permutation-sgd/rr-vs-replacement.csv", "permutation-sgd/rr-vs-replacement.svg", "README.md"] {
            #expect(root.file("single/\(file)") != nil && root.file("single/\(file)") == root.file("merged/\(file)"), "\(file) differs")
        }
        let resumed = try run(root, ["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--shard", "1/2", "--resume", "--partials", partial(root, "parts")])
        #expect(resumed.stderr.contains("already complete, skipped"))
    }

    @Test func missingDuplicatedAndMismatchedShardsAreRefused() throws {
        let root = try ScratchRoot()
        defer { root.remove() }
        for i in 1...2 { #expect(try shard(root, "\(i)/2").status == 0) }
        let missing = try run(root, ["merge", partial(root, "parts/shard-1-of-2.json")])
        #expect(missing.status == 2 && missing.stderr.contains("missing shard 2/2"))
        let twice = try run(root, ["merge", partial(root, "parts/shard-1-of-2.json"), partial(root, "parts/shard-1-of-2.json")])
        #expect(twice.status == 2 && twice.stderr.contains("shard 1/2 is given twice"))

        // a different config for the second shard: same code, different sweep
        let config = root.url.appendingPathComponent("Experiments/permutation-sgd/rr-vs-replacement.yaml")
        try ScratchRoot.lightConfig.replacingOccurrences(of: "repetitions: 40", with: "repetitions: 41").write(to: config, atomically: true, encoding: .utf8)
        #expect(try shard(root, "2/2", partials: "other").status == 0)
        let mismatched = try run(root, ["merge", partial(root, "parts/shard-1-of-2.json"), partial(root, "other/shard-2-of-2.json")])
        #expect(mismatched.status == 2 && mismatched.stderr.contains("does not match") && mismatched.stderr.contains("field configHash"))

        let garbage = root.url.appendingPathComponent("garbage.json")
        try Data([0xff, 0x00, 0x12]).write(to: garbage)
        let bad = try run(root, ["merge", garbage.path])
        #expect(bad.status == 2 && bad.stderr.contains("is not an intact claimcheck partial result"))
    }
}
