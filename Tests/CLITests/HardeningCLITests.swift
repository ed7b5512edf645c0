import Foundation
import Testing

/// FNV-1a over the bytes with the checksum's 16 hex digits zeroed: how a partial result is sealed (so a test can
/// forge field-level damage that the checksum alone would not explain).
func resealed(_ data: Data) -> Data {
    let prefix = Data("{\n  \"checksum\" : \"".utf8)
    guard data.starts(with: prefix), data.count > prefix.count + 16 else { return data }
    var blanked = data
    blanked.replaceSubrange(prefix.count..<(prefix.count + 16), with: Data(repeating: UInt8(ascii: "0"), count: 16))
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in blanked { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    let hex = String(h, radix: 16)
    blanked.replaceSubrange(prefix.count..<(prefix.count + 16), with: Data((String(repeating: "0", count: 16 - hex.count) + hex).utf8))
    return blanked
}

/// Serialises a JSON object the way `PartialResult.encoded()` lays it out (sorted keys, pretty printed), then seals it.
func sealedJSON(_ object: Any) throws -> Data {
    var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    data.append(Data("\n".utf8))
    return resealed(data)
}

/// Every file under `folder` (relative path → bytes).
func snapshot(_ folder: URL) -> [String: Data] {
    let paths = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
    var out: [String: Data] = [:]
    for p in paths { if let d = FileManager.default.contents(atPath: folder.appendingPathComponent(p).path) { out[p] = d } }
    return out
}

/// Invocations collected from concurrent threads.
final class Runs: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [Invocation?]
    init(count: Int) { runs = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ run: Invocation?) { lock.lock(); runs[i] = run; lock.unlock() }
    func get(_ i: Int) -> Invocation? { lock.lock(); defer { lock.unlock() }; return runs[i] }
}

@Suite struct HardeningCLITests {
    /// The scratch config with 40 instead of 600 repetitions: these tests need runs and writes, not verdicts
    /// (0.2 s of CPU per reproduce instead of 2.2 s).
    static let lightConfig = ScratchRoot.lightConfig

    func shard(_ root: ScratchRoot, _ spec: String, partials: String = "parts", environment: [String: String] = [:]) throws -> Invocation {
        try Invocation(["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--shard", spec, "--partials", root.url.appendingPathComponent(partials).path,
                        "--root", root.url.path], environment: environment)
    }

    /// Mutated partials (fields perturbed, removed, retyped; truncated; units duplicated, dropped, added, moved) are
    /// each refused by `merge`: exit 2 (never a signal), one line naming the file, and the output folder untouched.
    @Test func fuzzedPartialsAreRefusedWithoutTouchingOutput() throws {
        let root = try ScratchRoot(config: Self.lightConfig)
        defer { root.remove() }
        for i in 1...2 { #expect(try shard(root, "\(i)/2").status == 0) }
        let first = try #require(root.file("parts/shard-1-of-2.json"))
        let second = try #require(root.file("parts/shard-2-of-2.json"))
        let base = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
        let other = try #require(try JSONSerialization.jsonObject(with: second) as? [String: Any])
        let control = root.url.appendingPathComponent("control-shard.json")
        try sealedJSON(base).write(to: control)
        let unmutated = try Invocation(["merge", control.path, root.url.appendingPathComponent("parts/shard-2-of-2.json").path,
                                        "--output", root.url.appendingPathComponent("control-out").path, "--root", root.url.path])
        #expect(unmutated.status == 0, "the test's own serialisation must merge: \(unmutated.stderr)")

        var mutants: [(String, Data)] = []
        func mutate(_ name: String, _ change: (inout [String: Any]) -> Void) throws {
            var copy = base
            change(&copy)
            mutants.append((name, try sealedJSON(copy)))
        }
        for key in base.keys.sorted() where key != "checksum" {
            try mutate("remove \(key)") { $0[key] = nil }
            try mutate("null \(key)") { $0[key] = NSNull() }
            try mutate("string \(key)") { $0[key] = "x" }
            try mutate("number \(key)") { $0[key] = -1 }
            try mutate("list \(key)") { $0[key] = [1] }
        }
        try mutate("shard 0") { $0["shard"] = ["index": 0, "count": 2] }
        try mutate("shard 5/3") { $0["shard"] = ["index": 5, "count": 3] }
        try mutate("count 0") { $0["shard"] = ["index": 1, "count": 0] }
        try mutate("count -4") { $0["shard"] = ["index": 1, "count": -4] }
        try mutate("count huge") { $0["shard"] = ["index": 1, "count": Int.max] }
        try mutate("scale") { $0["scale"] = "huge" }
        try mutate("format") { $0["format"] = "claimcheck-partial/1" }
        try mutate("version") { $0["version"] = "9.9" }
        try mutate("seed") { $0["masterSeed"] = 7 }
        try mutate("claims unknown") { $0["claims"] = ["psgd.nope"] }
        try mutate("claims repeated") { $0["claims"] = ["psgd.rr-vs-replacement", "psgd.rr-vs-replacement"] }
        try mutate("plan swapped") { $0["plan"] = Array(($0["plan"] as! [Any]).reversed()) }
        try mutate("plan one shard") { $0["plan"] = [($0["plan"] as! [[String]]).flatMap { $0 }] }
        let entries = base["entries"] as! [[String: Any]]
        let foreign = (other["entries"] as! [[String: Any]])[0]
        try mutate("entry duplicated") { $0["entries"] = entries + [entries[0]] }
        try mutate("entry dropped") { $0["entries"] = Array(entries.dropFirst()) }
        try mutate("entry from another shard") { $0["entries"] = entries + [foreign] }
        try mutate("entries emptied") { $0["entries"] = [Any]() }
        func mutateReport(_ name: String, _ change: @escaping (inout [String: Any]) -> Void) throws {
            try mutate(name) { partial in
                var list = partial["entries"] as! [[String: Any]]
                var report = list[0]["report"] as! [String: Any]
                change(&report)
                list[0]["report"] = report
                partial["entries"] = list
            }
        }
        try mutateReport("parameter pair of one") { $0["parameters"] = [["components"]] }
        try mutateReport("parameter pair of three") { $0["parameters"] = [["a", "b", "c"]] }
        try mutateReport("claim id") { $0["claimID"] = "psgd.other" }
        try mutateReport("table row short") {
            var table = $0["table"] as! [String: Any]
            table["rows"] = [[["integer": ["_0": 1]]]]
            $0["table"] = table
        }
        try mutateReport("checks wrong type") { $0["checks"] = "none" }
        for (field, value) in [("colour", -1 as Any), ("y", [1.0] as Any), ("intervals", [["lower": 0, "upper": 1]] as Any)] {
            try mutateReport("plot \(field)") {
                guard var plot = $0["plot"] as? [String: Any], var series = plot["series"] as? [[String: Any]], !series.isEmpty else { return }
                series[0][field] = value
                plot["series"] = series
                $0["plot"] = plot
            }
        }
        try mutate("seconds negative") { partial in
            var list = partial["entries"] as! [[String: Any]]
            list[0]["seconds"] = -1
            partial["entries"] = list
        }
        // byte-level damage, checksum left as it was
        for fraction in [0.0, 0.01, 0.5, 0.99] { mutants.append(("truncated at \(fraction)", first.prefix(Int(Double(first.count) * fraction)))) }
        var edited = first
        let digit = edited.lastIndex { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "8") }!
        edited[digit] += 1
        mutants.append(("one digit edited", edited))
        mutants.append(("concatenated", first + second))
        mutants.append(("binary", Data([0xff, 0xfe, 0x00, 0x7b])))

        let output = root.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: output.appendingPathComponent("README.md"))
        let before = snapshot(root.url.appendingPathComponent("out"))
        for (index, (_, data)) in mutants.enumerated() { try data.write(to: root.url.appendingPathComponent("bad-shard-\(index).json")) }
        let runs = Runs(count: mutants.count)
        DispatchQueue.concurrentPerform(iterations: mutants.count) { index in
            runs.set(index, try? Invocation(["merge", root.url.appendingPathComponent("bad-shard-\(index).json").path,
                                             root.url.appendingPathComponent("parts/shard-2-of-2.json").path, "--output", output.path, "--root", root.url.path]))
        }
        for (index, (name, _)) in mutants.enumerated() {
            guard let run = runs.get(index) else { Issue.record("\(name): could not start claimcheck"); continue }
            #expect(run.exited && run.status == 2, "\(name): exit \(run.status), \(run.stderr)")
            #expect(run.stderr.hasPrefix("claimcheck: error:") && run.stderr.filter { $0 == "\n" }.count == 1, "\(name): \(run.stderr)")
            #expect(run.stderr.contains("bad-shard-\(index).json"), "\(name): the message must name the file: \(run.stderr)")
        }
        #expect(snapshot(output) == before, "a mutated partial touched the output folder")
        #expect(mutants.count > 60)
        // the unmutated pair merges
        let good = try Invocation(["merge", root.url.appendingPathComponent("parts").path, "--output", output.path, "--root", root.url.path])
        #expect(good.status == 0, "\(good.stderr)")
    }

    /// Two shards started at the same moment into one partials folder both finish, and their merge equals one run.
    @Test func concurrentShardsIntoOneFolderBothSucceed() throws {
        let root = try ScratchRoot(config: Self.lightConfig)
        defer { root.remove() }
        func start(_ spec: String) throws -> Process {
            let p = Process()
            p.executableURL = Invocation.binary
            p.arguments = ["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--shard", spec, "--partials", root.url.appendingPathComponent("parts").path,
                           "--root", root.url.path]
            p.environment = ProcessInfo.processInfo.environment.merging(["CLAIMCHECK_TEST_WRITE_PAUSE_MS": "200"]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let shards = try [start("1/2"), start("2/2")]
        for p in shards { p.waitUntilExit() }
        #expect(shards.allSatisfy { $0.terminationReason == .exit && $0.terminationStatus == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent("parts").path).sorted() == ["shard-1-of-2.json", "shard-2-of-2.json"])
        let merged = try Invocation(["merge", root.url.appendingPathComponent("parts").path, "--output", root.url.appendingPathComponent("merged").path, "--root", root.url.path])
        let single = try Invocation(["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--output", root.url.appendingPathComponent("single").path, "--root", root.url.path])
        #expect(merged.status == 0 && single.status == 0, "\(merged.stderr)\(single.stderr)")
        #expect(snapshot(root.url.appendingPathComponent("merged")) == snapshot(root.url.appendingPathComponent("single")))
    }

    /// Signals that land *during writes* (a test hook holds each temporary for 300 ms before its rename): after SIGINT
    /// or SIGTERM no temporary remains; after SIGKILL the next run removes it; every file is old or new throughout.
    @Test func interruptDuringWritesLeavesOldOrNewFilesAndNoTemporary() throws {
        let root = try ScratchRoot(config: Self.lightConfig)
        defer { root.remove() }
        let files = ["permutation-sgd/rr-vs-replacement.md", "permutation-sgd/rr-vs-replacement.csv", "permutation-sgd/rr-vs-replacement.svg", "README.md"]
        func reproduce(_ output: String, seed: Int, pause: Bool) throws -> Process {
            let p = Process()
            p.executableURL = Invocation.binary
            p.arguments = ["reproduce", "psgd.rr-vs-replacement", "--scale", "quick", "--seed", String(seed), "--root", root.url.path,
                           "--output", root.url.appendingPathComponent(output).path]
            if pause { p.environment = ProcessInfo.processInfo.environment.merging(["CLAIMCHECK_TEST_WRITE_PAUSE_MS": "300"]) { $1 } }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        for (output, seed) in [("old", 1), ("new", 2)] {
            let p = try reproduce(output, seed: seed, pause: false)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let old = files.map { root.file("old/\($0)") }, new = files.map { root.file("new/\($0)") }
        func temporaries(_ folder: String) -> [String] {
            snapshot(root.url.appendingPathComponent(folder)).keys.filter { ($0 as NSString).lastPathComponent.hasPrefix(".claimcheck-") }.sorted()
        }
        for (attempt, signal) in [SIGINT, SIGTERM, SIGKILL, SIGINT].enumerated() {
            let target = "interrupted\(attempt)"
            try FileManager.default.copyItem(at: root.url.appendingPathComponent("old"), to: root.url.appendingPathComponent(target))
            let p = try reproduce(target, seed: 2, pause: true)
            // wait until a temporary exists (the run is inside a write), up to 60 s of compute; the (attempt)th write
            var seen = 0
            var last: [String] = []
            for _ in 0..<6000 where p.isRunning {
                let now = temporaries(target)
                if !now.isEmpty, now != last { seen += 1; last = now }
                if seen > attempt % 3 { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            #expect(p.isRunning && !last.isEmpty, "no write was caught in flight")
            kill(p.processIdentifier, signal)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal)
            if signal == SIGKILL {
                #expect(!temporaries(target).isEmpty, "SIGKILL cannot clean up; the next run must")
                let again = try reproduce(target, seed: 2, pause: false)
                again.waitUntilExit()
                #expect(again.terminationStatus == 0)
            }
            #expect(temporaries(target).isEmpty, "temporary left after signal \(signal): \(temporaries(target))")
            for (index, file) in files.enumerated() {
                let now = root.file("\(target)/\(file)")
                #expect(now == old[index] || now == new[index], "\(file) is neither old nor new after signal \(signal)")
            }
        }
    }

    /// A quick run into a folder of full-scale pages keeps each page's own scale and seed in the index.
    @Test func indexLabelsEachPageWithItsOwnRun() throws {
        let root = try ScratchRoot(config: Self.lightConfig)
        defer { root.remove() }
        let out = root.url.appendingPathComponent("out")
        let other = out.appendingPathComponent("permutation-sgd/flipflop.md")
        try FileManager.default.createDirectory(at: other.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("# psgd.flipflop\n\n**Verdict: `holds`** — recorded\n\n- Proof note: x; config: y (scale `full`, master seed 20200210)\n".utf8).write(to: other)
        let run = try Invocation(["reproduce", "psgd.rr-vs-replacement", "--scale", "quick", "--seed", "5", "--output", out.path, "--root", root.url.path])
        #expect(run.status == 0, "\(run.stderr)")
        let index = String(decoding: try #require(root.file("out/README.md")), as: UTF8.self)
        #expect(index.contains("pages of different runs"))
        #expect(index.contains("`holds` (scale `full`, master seed 20200210)"), "\(index)")
        #expect(index.contains("(scale `quick`, master seed 5)"), "\(index)")
    }

    @Test(arguments: [
        (["SLURM_ARRAY_TASK_ID": "2"], "SLURM_ARRAY_TASK_COUNT"),
        (["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "9"], "not a contiguous range"),
        (["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1", "SLURM_ARRAY_TASK_MIN": "2", "SLURM_ARRAY_TASK_MAX": "2"], "pass --shards N"),
        (["CLAIMCHECK_THREADS": "0"], "CLAIMCHECK_THREADS='0'"),
        (["CLAIMCHECK_THREADS": "abc"], "CLAIMCHECK_THREADS='abc'"),
        (["CLAIMCHECK_THREADS": "-1"], "expected an integer in 1…"),
    ])
    func badEnvironmentIsRefused(environment: [String: String], expected: String) throws {
        let root = try ScratchRoot(config: Self.lightConfig)
        defer { root.remove() }
        let run = try Invocation(["reproduce", "--scale", "quick", "psgd.rr-vs-replacement", "--partials", root.url.appendingPathComponent("p").path, "--root", root.url.path],
                                 environment: environment)
        #expect(run.status == 2 && run.stderr.contains(expected), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.url.appendingPathComponent("p").path))
    }

    /// Outputs that resolve to the working directory, or are empty, are refused before anything runs.
    @Test func outputResolvingToTheWorkingDirectoryIsRefused() throws {
        for output in ["", ".", "./", "Experiments/.."] {
            let run = try Invocation(["reproduce", "psgd.rr-vs-replacement", "--scale", "quick", "--output", output])
            #expect(run.status == 2 && run.stderr.contains("--output"), "'\(output)': \(run.stderr)")
        }
    }

    @Test func versionAndHelpExitZero() throws {
        let version = try Invocation(["--version"])
        #expect(version.status == 0 && !version.stdout.isEmpty)
        #expect(try Invocation(["reproduce", "--help"]).status == 0)
    }
}
