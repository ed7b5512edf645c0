import Foundation
import Testing

/// SIGINT during `reproduce` leaves every results file either as it was or as a complete new version.
@Suite struct InterruptTests {
    static let files = ["permutation-sgd/rr-vs-replacement.md", "permutation-sgd/rr-vs-replacement.csv", "permutation-sgd/rr-vs-replacement.svg", "README.md"]

    func reproduce(root: ScratchRoot, output: String, seed: Int) throws -> Process {
        let process = Process()
        process.executableURL = Invocation.binary
        process.arguments = ["reproduce", "psgd.rr-vs-replacement", "--scale", "quick", "--seed", String(seed), "--root", root.url.path,
                             "--output", root.url.appendingPathComponent(output).path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func interruptedReproduceLeavesOldOrNewFilesOnly() throws {
        let root = try ScratchRoot(config: ScratchRoot.smallConfig)   // ≈ 2 s runs, so the signals land at different points
        defer { root.remove() }
        for (output, seed) in [("old", 1), ("new", 2)] {
            let p = try reproduce(root: root, output: output, seed: seed)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let old = Self.files.map { root.file("old/\($0)") }
        let new = Self.files.map { root.file("new/\($0)") }
        #expect((old + new).allSatisfy { $0 != nil })
        #expect(old[1] != new[1], "different seeds must give different CSVs")

        for (attempt, delay) in [0.1, 0.4, 0.8].enumerated() {
            let target = "interrupted\(attempt)"
            try FileManager.default.copyItem(at: root.url.appendingPathComponent("old"), to: root.url.appendingPathComponent(target))
            let p = try reproduce(root: root, output: target, seed: 2)
            Thread.sleep(forTimeInterval: delay)
            p.interrupt()
            p.waitUntilExit()
            for (index, file) in Self.files.enumerated() {
                let now = root.file("\(target)/\(file)")
                #expect(now == old[index] || now == new[index], "\(file) is neither the old nor the new version after SIGINT at \(delay) s")
            }
        }
    }
}
