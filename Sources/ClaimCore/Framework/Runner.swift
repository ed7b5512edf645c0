import Foundation

/// Runs claims: loads and validates the config, runs the experiment, and turns every failure into an `error` verdict.
public struct ClaimRunner: Sendable {
    public let experimentsRoot: URL
    public let scale: Scale
    public let masterSeed: UInt64
    public let onProgress: (@Sendable (SweepProgress) -> Void)?

    public init(experimentsRoot: URL, scale: Scale, masterSeed: UInt64 = defaultMasterSeed, onProgress: (@Sendable (SweepProgress) -> Void)? = nil) {
        self.experimentsRoot = experimentsRoot
        self.scale = scale
        self.masterSeed = masterSeed
        self.onProgress = onProgress
        LibrarySetup.once
    }

    /// Loads the claim's config. Throws `ConfigError`: a broken config is the user's to fix, not a verdict.
    public func parameters(for claim: any Claim) throws -> Parameters {
        try ConfigLoader.load(claim: claim, scale: scale, experimentsRoot: experimentsRoot)
    }

    /// Runs the claim (or one of its controls) with already validated parameters. Never throws: a failed run is a
    /// report with verdict `error` and the reason.
    public func run(_ claim: any Claim, parameters: Parameters, control: NegativeControl? = nil) -> Report {
        let context = RunContext(claimID: claim.id, parameters: parameters, scale: scale, masterSeed: masterSeed, control: control, onProgress: onProgress)
        do {
            var report = try claim.run(context)
            report.parameters = parameters.summary
            return report
        } catch {
            var report = Report.failed(claimID: claim.id, control: control, reason: String(describing: error))
            report.parameters = parameters.summary
            return report
        }
    }

    /// Loads the config and runs; a config error also becomes an `error` report.
    public func run(_ claim: any Claim, control: NegativeControl? = nil) -> Report {
        do {
            return run(claim, parameters: try parameters(for: claim), control: control)
        } catch {
            return Report.failed(claimID: claim.id, control: control, reason: String(describing: error))
        }
    }
}

/// The master seed used when none is given. Fixed so that `results/` is reproducible byte for byte.
public let defaultMasterSeed: UInt64 = 20_200_210

/// Locates the package root (the folder holding `Experiments/`): `CLAIMCHECK_ROOT`, else the nearest ancestor of the
/// working directory that has `Experiments/`, else the root this file was compiled from.
public func locatePackageRoot(filePath: String = #filePath) -> URL {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["CLAIMCHECK_ROOT"], !env.isEmpty { return URL(fileURLWithPath: env) }
    var dir = URL(fileURLWithPath: fm.currentDirectoryPath)
    while true {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir.appendingPathComponent("Experiments").path, isDirectory: &isDir), isDir.boolValue { return dir }
        let parent = dir.deletingLastPathComponent()
        if parent.path == dir.path { break }
        dir = parent
    }
    // Sources/ClaimCore/Framework/Runner.swift → package root
    return URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
