import CReference
import ClaimCore
import Foundation

/// Targets of issue 9.
public enum Targets {
    /// Swift median / C median, every workload.
    public static let swiftOverC = 1.2
    /// numpy median / Swift median, loop-bound workloads.
    public static let numpyOverSwift = 10.0
    /// Swift throughput / raw OpenBLAS throughput for matrix-shaped work (n = 1000 dgemm).
    public static let matrixThroughput = 0.9
}

/// Where and under what load the benchmark ran.
public struct Machine {
    public let processors: Int
    public let cpuModel: String
    public let cacheSize: String
    public let kernel: String
    public let openBLAS: String
    public let loadBefore: String
    public var loadAfter: String

    public static func current() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ key: String) -> String {
            for line in cpuinfo.split(separator: "\n") where line.hasPrefix(key) {
                if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
            }
            return "unknown"
        }
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "unknown").trimmingCharacters(in: .whitespacesAndNewlines)
        return Machine(processors: ProcessInfo.processInfo.activeProcessorCount, cpuModel: field("model name"),
                       cacheSize: field("cache size"), kernel: kernel,
                       openBLAS: String(cString: cref_openblas_config()).trimmingCharacters(in: .whitespaces),
                       loadBefore: loadAverage(), loadAfter: loadAverage())
    }

    /// The 1, 5 and 15 minute load averages from /proc/loadavg.
    public static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// Renders measurements as the console/markdown table and the CSV.
public struct PerformanceReport {
    public let measurements: [BenchmarkResult]
    public let machine: Machine
    public let runs: Int
    public let omitted: [String]

    public init(measurements: [BenchmarkResult], machine: Machine, runs: Int, omitted: [String] = []) {
        self.measurements = measurements
        self.machine = machine
        self.runs = runs
        self.omitted = omitted
    }

    static func milliseconds(_ seconds: Double) -> String { formatSignificant(seconds * 1e3, digits: 3) }

    static func formatSignificant(_ value: Double, digits: Int) -> String {
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
        let magnitude = Int(floor(log10(abs(value))))
        let decimals = max(0, digits - 1 - magnitude)
        return String(format: "%.\(decimals)f", value)
    }

    static func timing(_ t: Timing?) -> String {
        guard let t else { return "—" }
        return "\(milliseconds(t.median)) (\(milliseconds(t.minimum))–\(milliseconds(t.maximum)))"
    }

    static func scientific(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value == 0 ? "0" : String(format: "%.1e", value)
    }

    /// "met", "MISSED" or "—" (no target) for each measurement's two targets.
    public func verdicts(_ m: BenchmarkResult) -> (swiftOverC: String, numpyOverSwift: String) {
        let c = m.swiftOverC <= Targets.swiftOverC ? "met" : "MISSED"
        guard m.loopBound else { return (c, "—") }
        guard let ratio = m.numpyOverSwift else { return (c, "not measured") }
        return (c, ratio >= Targets.numpyOverSwift ? "met" : "MISSED")
    }

    public var tableHeader: [String] {
        ["family", "workload", "size", "Swift ms median (min–max)", "C ms median (min–max)", "numpy ms median (min–max)",
         "Swift/C", "numpy/Swift", "Δ Swift–C", "Δ numpy–Swift", "Swift/C ≤ \(formatShort(Targets.swiftOverC))",
         "numpy/Swift ≥ \(formatShort(Targets.numpyOverSwift)) (loop-bound)"]
    }

    public var tableRows: [[String]] {
        measurements.map { m in
            let v = verdicts(m)
            return [m.family, m.name, m.size, Self.timing(m.swift), Self.timing(m.c), Self.timing(m.numpy),
                    String(format: "%.3f", m.swiftOverC), m.numpyOverSwift.map { String(format: "%.1f", $0) } ?? "—",
                    Self.scientific(m.swiftVersusC), Self.scientific(m.numpyVersusSwift), v.swiftOverC, v.numpyOverSwift]
        }
    }

    /// A plain-text table for the terminal.
    public var console: String {
        let rows = [tableHeader] + tableRows
        let widths = tableHeader.indices.map { column in rows.map { $0[column].count }.max()! }
        return rows.enumerated().map { index, row in
            let line = row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return index == 0 ? line + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") : line
        }.joined(separator: "\n")
    }

    public var markdown: String {
        var lines: [String] = []
        lines.append("# Performance: Swift vs plain C vs numpy")
        lines.append("")
        lines.append("Generated by `swift run -c release claimcheck-bench` (issue 9). Each workload is computed three ways on the same")
        lines.append("inputs and seeds: the project's Swift code as the claims call it, a plain C reference (`Sources/CReference`,")
        lines.append("`-O2`, same GSL mt19937 stream and `gsl_ran_shuffle`, same BLAS calls, same flop count) and a numpy script")
        lines.append("(`Benchmarks/`). Times are wall-clock milliseconds, median of \(runs) runs (min–max), after one untimed")
        lines.append("warm-up; Swift and C runs alternate. BLAS runs on one thread in all three (numpy with `OPENBLAS_NUM_THREADS=1`).")
        lines.append("Δ Swift–C and Δ numpy–Swift are the largest absolute differences of the results, relative to max(1, largest")
        lines.append("absolute entry), from the untimed run: Swift and C must agree to 1e-12 or the benchmark refuses to time them.")
        lines.append("")
        lines.append("## Machine")
        lines.append("")
        lines.append("- processors (nproc): \(machine.processors)")
        lines.append("- CPU: \(machine.cpuModel) (cache size per /proc/cpuinfo: \(machine.cacheSize))")
        lines.append("- Linux kernel \(machine.kernel)")
        lines.append("- OpenBLAS: `\(machine.openBLAS)`")
        if let version = measurements.compactMap(\.numpyVersion).first { lines.append("- numpy \(version)") }
        lines.append("- load average (1/5/15 min) before: \(machine.loadBefore); after: \(machine.loadAfter)")
        lines.append("")
        lines.append("## Results")
        lines.append("")
        lines.append("| " + tableHeader.joined(separator: " | ") + " |")
        lines.append("|" + tableHeader.map { _ in "---" }.joined(separator: "|") + "|")
        for row in tableRows { lines.append("| " + row.joined(separator: " | ") + " |") }
        lines.append("")
        lines.append("## What is timed")
        lines.append("")
        lines.append("| workload | Swift (as the claims call it) · C reference · numpy script |")
        lines.append("|---|---|")
        for m in measurements { lines.append("| \(m.family) · \(m.name) | \(m.calls) |") }
        lines.append("")
        let throughput = measurements.compactMap { m in
            m.gigaflops.map { g in
                "| \(m.family) · \(m.name) | \(String(format: "%.2f", g.swift)) | \(String(format: "%.2f", g.c)) | \(g.numpy.map { String(format: "%.2f", $0) } ?? "—") | \(String(format: "%.3f", g.swift / g.c)) |"
            }
        }
        if !throughput.isEmpty {
            lines.append("## Throughput")
            lines.append("")
            lines.append("GFlop/s of the median run, flops counted as documented with each workload in `Sources/BenchmarkSuite` (e.g. SGD:")
            lines.append("2d² + 3d per step for dgemv with β = −1 plus daxpy, 4 for d = 1; dgemm: 2n³). The dgemm target is Swift ≥")
            lines.append("\(formatShort(Targets.matrixThroughput)) × raw OpenBLAS throughput.")
            lines.append("")
            lines.append("| workload | Swift GFlop/s | C GFlop/s | numpy GFlop/s | Swift/C throughput |")
            lines.append("|---|---|---|---|---|")
            lines.append(contentsOf: throughput)
            lines.append("")
        }
        var notes = measurements.compactMap { m in m.numpyNote.map { "- \(m.family) · \(m.name): \($0)" } }
        for m in measurements {
            let v = verdicts(m)
            if v.swiftOverC == "MISSED" {
                notes.append("- \(m.family) · \(m.name): Swift/C = \(String(format: "%.3f", m.swiftOverC)) misses ≤ \(formatShort(Targets.swiftOverC)).")
            }
            if v.numpyOverSwift == "MISSED", let numpy = m.numpy {
                notes.append("- \(m.family) · \(m.name): numpy/Swift = \(String(format: "%.1f", m.numpyOverSwift!)) misses ≥ \(formatShort(Targets.numpyOverSwift)); numpy/C = \(String(format: "%.1f", numpy.median / m.c.median)), so the C reference misses it too: no Swift change short of beating the C reference can meet it.")
            }
        }
        if !notes.isEmpty || !omitted.isEmpty {
            lines.append("## Notes")
            lines.append("")
            lines.append(contentsOf: notes)
            lines.append(contentsOf: omitted.map { "- \($0)" })
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    public var csv: String {
        let header = ["family", "workload", "size", "loop_bound", "runs",
                      "swift_median_s", "swift_min_s", "swift_max_s", "c_median_s", "c_min_s", "c_max_s",
                      "numpy_median_s", "numpy_min_s", "numpy_max_s", "swift_over_c", "numpy_over_swift",
                      "swift_c_relative_difference", "numpy_swift_relative_difference", "swift_gflops", "c_gflops", "numpy_gflops", "swift_over_c_target", "numpy_over_swift_target"]
        func quoted(_ text: String) -> String { text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text }
        func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "" }
        var lines = [header.joined(separator: ",")]
        for m in measurements {
            let v = verdicts(m)
            let fields: [String] = [m.family, m.name, m.size, m.loopBound ? "true" : "false", String(runs),
                                    number(m.swift.median), number(m.swift.minimum), number(m.swift.maximum),
                                    number(m.c.median), number(m.c.minimum), number(m.c.maximum),
                                    number(m.numpy?.median), number(m.numpy?.minimum), number(m.numpy?.maximum),
                                    number(m.swiftOverC), number(m.numpyOverSwift), number(m.swiftVersusC), number(m.numpyVersusSwift),
                                    number(m.gigaflops?.swift), number(m.gigaflops?.c), number(m.gigaflops?.numpy ?? nil),
                                    v.swiftOverC, v.numpyOverSwift]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
