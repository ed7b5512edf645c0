import Foundation

/// What a numpy reference run returned.
public struct NumpyOutcome {
    public let timing: Timing
    public let result: [Double]
    public let numpyVersion: String
}

public enum BenchmarkError: Error, CustomStringConvertible {
    case numpy(script: String, problem: String)

    public var description: String {
        switch self {
        case let .numpy(script, problem): "numpy reference \(script): \(problem)"
        }
    }
}

/// Runs `job` as `python3 <scripts>/<job.script> <folder> <runs>` with BLAS/OpenMP pinned to one thread (as on the
/// Swift and C side), and reads back its timings and result.
public func runNumpy(_ job: NumpyJob, scripts: URL, runs: Int, python: String = "python3") throws -> NumpyOutcome {
    let fm = FileManager.default
    let folder = fm.temporaryDirectory.appendingPathComponent("claimcheck-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: folder) }
    let parameters = try JSONSerialization.data(withJSONObject: job.parameters, options: [.sortedKeys])
    try parameters.write(to: folder.appendingPathComponent("parameters.json"))
    for (name, values) in job.inputs {
        try values.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent("\(name).bin"))
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, scripts.appendingPathComponent(job.script).path, folder.path, String(runs)]
    var environment = ProcessInfo.processInfo.environment
    for key in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] { environment[key] = "1" }
    process.environment = environment
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchmarkError.numpy(script: job.script, problem: "exit status \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
    }
    guard let object = try JSONSerialization.jsonObject(with: stdout) as? [String: Any],
          let seconds = object["seconds"] as? [Double], !seconds.isEmpty,
          let version = object["numpy"] as? String else {
        throw BenchmarkError.numpy(script: job.script, problem: "unreadable output: \(String(decoding: stdout, as: UTF8.self))")
    }
    let bytes = try Data(contentsOf: folder.appendingPathComponent("result.bin"))
    let result = bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    return NumpyOutcome(timing: Timing(samples: seconds), result: result, numpyVersion: version)
}
