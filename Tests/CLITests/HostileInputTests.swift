import Foundation
import Testing

/// Runs every bad input under Tests/CLITests/HostileInputs through the real binary: each must exit non-zero with one
/// clear line naming the problem, and must leave existing results untouched.
@Suite struct HostileInputTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HostileInputs")

    static var configFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("configs").path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static var commandLines: [String] {
        let text = (try? String(contentsOf: corpus.appendingPathComponent("arguments.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && $0.contains(" => ") }
    }

    @Test func corpusHasAtLeastThirtyInputs() {
        #expect(Self.configFiles.count + Self.commandLines.count >= 30)
    }

    /// Expected message: the file's "# expect:" line; files too broken to carry one are listed here.
    static func expectation(_ name: String, _ data: Data) -> String {
        switch name {
        case "02-zero-bytes.yaml": return "empty file"
        case "03-binary.yaml": return "not UTF-8"
        default:
            let firstLine = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return firstLine.hasPrefix("# expect: ") ? String(firstLine.dropFirst("# expect: ".count)) : ""
        }
    }

    @Test(arguments: HostileInputTests.configFiles)
    func badConfigIsRejectedWithoutTouchingResults(name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Self.corpus.appendingPathComponent("configs/\(name)").path))
        let root = try ScratchRoot(config: "")
        defer { root.remove() }
        try data.write(to: root.url.appendingPathComponent("Experiments/permutation-sgd/rr-vs-replacement.yaml"))
        let results = root.url.appendingPathComponent("results/permutation-sgd")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: results.appendingPathComponent("rr-vs-replacement.md"))

        let run = try Invocation(["reproduce", "psgd.rr-vs-replacement", "--scale", "quick", "--root", root.url.path,
                                  "--output", root.url.appendingPathComponent("results").path])
        let expected = Self.expectation(name, data)
        #expect(run.status == 2 && run.exited, "\(name): exit \(run.status)")
        #expect(!expected.isEmpty && (run.stderr + run.stdout).contains(expected), "\(name): expected '\(expected)', got: \(run.stderr)\(run.stdout)")
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("claimcheck: error:") }.count == 1, "\(name): \(run.stderr)")
        if run.stderr.hasPrefix("claimcheck: error:") {
            #expect(root.file("results/permutation-sgd/rr-vs-replacement.md") == Data("previous".utf8), "\(name) touched results")
        }
    }

    @Test(arguments: HostileInputTests.commandLines)
    func badCommandLineIsRejected(line: String) throws {
        let parts = line.components(separatedBy: " => ")
        let run = try Invocation(parts[0].split(separator: " ").map(String.init))
        #expect(run.status == 2 && run.exited, "\(parts[0]): exit \(run.status)")
        #expect(run.stderr.contains(parts[1]), "\(parts[0]): expected '\(parts[1])', got: \(run.stderr)")
        #expect(run.stderr.hasPrefix("claimcheck: error:") && run.stderr.filter { $0 == "\n" }.count == 1, "\(parts[0]): not one line: \(run.stderr)")
    }
}
