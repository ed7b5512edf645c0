import ClaimCore
import Foundation
import Testing

/// Issue 18: decoded input obeys the same rules as constructed values; writes and cleanup never touch what is not ours.
@Suite struct HardeningTests {
    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("claimcheck-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func staleTemporarySweepRemovesOnlyDeadProcessesFilesWithOurPrefix() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let live = ProcessInfo.processInfo.processIdentifier
        let names = [
            ".claimcheck-a.md.\(temporaryHost).\(Int32.max - 1).x1.tmp",  // dead pid, this host: stale
            ".claimcheck-a.md.\(temporaryHost).\(live).x2.tmp",  // this (live) process: kept
            ".claimcheck-a.md.other-host.\(Int32.max - 1).x3.tmp",  // another machine's: kept
            ".index.tmp",  // not ours: kept
            ".a.md.123.tmp",  // the old naming, not ours: kept
        ]
        for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("sub/" + names[0]))
        let removed = removeStaleTemporaries(in: [folder])
        #expect(removed == [folder.appendingPathComponent(names[0]).path])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set(names.dropFirst() + ["sub"]))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sub/" + names[0]).path), "subfolders are not swept")
    }

    @Test func atomicWriteLeavesNoTemporaryAndSkipsUnchangedContent() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("page.md")
        for text in ["one", "two", "two", ""] { try writeAtomically(text, to: target) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["page.md"])
        #expect(FileManager.default.contents(atPath: target.path) == Data())
    }

    @Test func decodedPlotSeriesAreValidated() throws {
        func decode(_ json: String) -> Bool { (try? JSONDecoder().decode(Plot.Series.self, from: Data(json.utf8))) != nil }
        #expect(decode(#"{"name":"a","x":[1,2],"y":[1,2],"style":{"points":{}},"colour":1}"#))
        #expect(!decode(#"{"name":"a","x":[1,2],"y":[1],"style":{"points":{}},"colour":1}"#))
        #expect(!decode(#"{"name":"a","x":[1,2],"y":[1,2],"intervals":[{"lower":0,"upper":1}],"style":{"points":{}},"colour":1}"#))
        #expect(!decode(#"{"name":"a","x":[1,2],"y":[1,2],"style":{"points":{}},"colour":-1}"#))
    }

    @Test func linearAxisTicksTerminateAtAnyMagnitude() {
        let plot = Plot(title: "t", xLabel: "x", yLabel: "y", logX: false, logY: false,
                        series: [Plot.Series(name: "s", x: [1e17, 1e17], y: [1e300, -1e300], style: .points, colour: 3)])
        #expect(SVGRenderer.render(plot).hasSuffix("</svg>\n"))
    }

    @Test func slurmVariablesMustBeCompleteAndContiguous() throws {
        func spec(_ env: [String: String], count: Int? = nil) -> String {
            do { return try ShardSpec.fromSLURM(env, count: count)?.description ?? "none" } catch { return "error" }
        }
        let array = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "4", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(spec([:]) == "none")
        #expect(spec(array) == "3/4")
        #expect(spec(array.filter { $0.key != "SLURM_ARRAY_TASK_COUNT" }) == "error", "half-set")
        #expect(spec(["SLURM_ARRAY_TASK_ID": "2"]) == "error", "half-set")
        let stepped = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "5", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_STEP": "2"]
        #expect(spec(stepped) == "3/3", "--array=1-5:2 is shards 1,2,3 of 3")
        let list = ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_COUNT": "3"]
        #expect(spec(list) == "error", "--array=1,4,7 is not contiguous")
        let single = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "2", "SLURM_ARRAY_TASK_MAX": "2", "SLURM_ARRAY_TASK_COUNT": "1"]
        #expect(spec(single) == "error", "a lone element 2 must not become shard 1/1")
        #expect(spec(single, count: 8) == "2/8", "with the sweep's count the task id is the shard")
        #expect(spec(single, count: 1) == "error")
    }

    @Test func shardPlanIsDeterministicBalancedAndRefusesTooManyShards() throws {
        let units = (0..<10).map { WorkUnit(claimID: "f.c\($0)", control: nil) }
        let timings = Timings(seconds: Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1.description, Double([9, 1, 1, 1, 5, 4, 1, 1, 3, 2][$0])) }))
        let plan = try ShardPlan(units: units, count: 3, timings: timings)
        #expect(plan == (try ShardPlan(units: units, count: 3, timings: timings)))
        #expect(plan.shards.flatMap { $0 }.count == 10 && Set(plan.shards.flatMap { $0 }) == Set(units))
        #expect(plan.loads == [10, 9, 9])  // longest first onto the least-loaded shard: 9+1 | 5+2+1+1 | 4+3+1+1
        #expect(plan.makespanRatio < 1.08)
        #expect(throws: ShardError.self) { try ShardPlan(units: units, count: 11, timings: timings) }
        let unknown = try ShardPlan(units: units, count: 2, timings: Timings())
        #expect(unknown.shards[0].count == 5 && unknown.shards[1].count == 5, "no timings: equal costs, registry order")
    }

    @Test func timingsFileRejectsMalformedRows() {
        #expect((try? Timings(csv: "unit,seconds\na.b,1.5\na.b#c,0.25\n", file: "t.csv"))?.seconds == ["a.b": 1.5, "a.b#c": 0.25])
        for bad in ["unit,seconds\na.b,-1\n", "unit,seconds\na.b,nan\n", "a.b\n", "unit,seconds\na.b,1\na.b,2\n", "unit,seconds\n#x,1\n"] {
            #expect(throws: ShardError.self) { try Timings(csv: bad, file: "t.csv") }
        }
    }

    @Test func deepOrHugeConfigsAreRefusedBeforeParsing() {
        let claim = SyntheticPowerLaw()
        func problem(_ yaml: String) -> String? {
            do { _ = try ConfigLoader.parse(yaml, claim: claim, scale: .quick, file: "c.yaml"); return nil } catch { return String(describing: error) }
        }
        let deepFlow = "claim: synthetic.power-law\nquick:\n  epochs: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        #expect(problem(deepFlow)?.contains("levels deep") == true)
        let deepBlock = "claim: synthetic.power-law\nquick:\n" + (1...200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect(problem(deepBlock)?.contains("levels deep") == true)
        let deepCompact = "claim: synthetic.power-law\nquick:\n  epochs:\n    " + String(repeating: "- ", count: 3000) + "1\n"
        #expect(problem(deepCompact)?.contains("levels deep") == true)
        let huge = "claim: synthetic.power-law\nquick:\n  epochs: [1, 2, 3]\n" + String(repeating: "# padding\n", count: 10_000)
        #expect(problem(huge)?.contains("at most 65536 bytes") == true)
        let duplicate = "claim: synthetic.power-law\nquick:\n  epochs: [1, 2, 3]\nquick:\n  epochs: [1, 2, 4]\n"
        #expect(problem(duplicate)?.contains("duplicate top-level key") == true)
        #expect(problem("claim: synthetic.power-law\nquick:\n  epochs: [1, 2, 3]\n") == nil)
    }

    @Test func threadCountMustBeAPositiveIntegerBelowTheCap() throws {
        #expect(try requestedWorkerCount([:]) == nil)
        #expect(try requestedWorkerCount(["CLAIMCHECK_THREADS": "3"]) == 3)
        for bad in ["0", "-1", "abc", "", "1.5", "100000"] {
            #expect(throws: ShardError.self) { try requestedWorkerCount(["CLAIMCHECK_THREADS": bad]) }
        }
    }

    @Test func packageRootErrorNamesTheFoldersSearched() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try findPackageRoot(environment: [:], workingDirectory: folder.path, executable: "/usr/bin/true")
            Issue.record("found a package root under \(folder.path)")
        } catch let error as PackageRootError {
            #expect(error.description.contains(folder.path) && error.description.contains("/usr/bin") && error.description.contains("--root"))
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Experiments"), withIntermediateDirectories: true)
        #expect(try findPackageRoot(environment: [:], workingDirectory: "/", executable: folder.appendingPathComponent(".build/debug/claimcheck").path).path
            == folder.standardizedFileURL.path)
    }
}
