import BenchmarkSuite
import ClaimCore
import Foundation

/// claimcheck-bench: times every workload in `Suite` three ways (Swift, C, numpy), prints the table and writes
/// results/performance.md and results/performance.csv.
///
/// Usage: claimcheck-bench [--runs N] [--no-numpy] [--only SUBSTRING] [--root PACKAGE_FOLDER] [--python PYTHON] [--no-write]
///        claimcheck-bench --profile swift|c [--only SUBSTRING] [--runs N]   (only runs one way, for perf/callgrind)
let usage = """
    usage: claimcheck-bench [--runs N (≥ 5 for the report)] [--no-numpy] [--only SUBSTRING] [--root PACKAGE_FOLDER] [--python PYTHON] [--no-write]
           claimcheck-bench --profile swift|c [--only SUBSTRING] [--runs N]   runs one way only (for perf/callgrind), no report
    --only keeps the workloads whose label contains SUBSTRING (case-insensitive); labels end in ";",
    e.g. "psgd RR SGD d = 1;" — run with --only nothing-matches to list them.
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
/// The package root: Sources/claimcheck-bench/main.swift is three levels below it.
var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
var runs = 5, useNumpy = true, write = true, python = "python3"
var only: String?
var profile: String?
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    func value() -> String {
        guard !arguments.isEmpty else { fail("\(flag) needs a value\n\(usage)") }
        return arguments.removeFirst()
    }
    switch flag {
    case "--runs": guard let n = Int(value()), n >= 1 else { fail("--runs needs a positive integer") }; runs = n
    case "--no-numpy": useNumpy = false
    case "--only": only = value()
    case "--root": root = URL(fileURLWithPath: value())
    case "--python": python = value()
    case "--no-write": write = false
    case "--profile":
        profile = value()
        guard profile == "swift" || profile == "c" else { fail("--profile takes swift or c") }
    case "--help", "-h": print(usage); exit(0)
    default: fail("unknown argument \(flag)\n\(usage)")
    }
}

// One thread everywhere: `parallelMap` inside the families' code runs serially (like the C references), and
// ClaimCore's LibrarySetup pins OpenBLAS to one thread; numpy gets OPENBLAS_NUM_THREADS=1.
setenv("CLAIMCHECK_THREADS", "1", 1)
LibrarySetup.once
var options = BenchmarkOptions(scripts: root.appendingPathComponent("Benchmarks"))
options.runs = runs
options.numpy = useNumpy
options.python = python

var machine = Machine.current()
do {
    var entries = Suite.entries
    if let only { entries = entries.filter { $0.label.localizedCaseInsensitiveContains(only) } }
    if entries.isEmpty { fail("no workload matches --only \(only ?? ""); labels:\n" + Suite.entries.map(\.label).joined(separator: "\n")) }
    if let profile {
        for entry in entries {
            let workload = try entry.make()
            let run = profile == "swift" ? workload.swift : workload.c
            let seconds = try (0..<runs).map { _ in try timed { _ = try run() }.seconds }
            print("\(profile) \(workload.family) · \(workload.name): median \(Timing(samples: seconds).median * 1e3) ms")
        }
        exit(0)
    }
    var measurements: [BenchmarkResult] = []
    for entry in entries {
        let workload = try entry.make()
        measurements.append(try measure(workload, options: options) { FileHandle.standardError.write(Data(("· " + $0 + "\n").utf8)) })
    }
    machine.loadAfter = Machine.loadAverage()
    let report = PerformanceReport(measurements: measurements, machine: machine, runs: runs, omitted: Suite.omitted)
    print(report.console)
    print("\nmachine: \(machine.processors) × \(machine.cpuModel); load before \(machine.loadBefore), after \(machine.loadAfter)")
    if write {
        if runs < 5 || only != nil { fail("not writing results/performance.*: the report needs the full suite with --runs ≥ 5") }
        let folder = root.appendingPathComponent("results")
        try writeAtomically(report.markdown, to: folder.appendingPathComponent("performance.md"))
        try writeAtomically(report.csv, to: folder.appendingPathComponent("performance.csv"))
        print("wrote \(folder.path)/performance.md and performance.csv")
    }
} catch {
    fail("claimcheck-bench: \(error)")
}
