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
        let context = RunContext(claimID: claim.id, parameters: parameters, scale: scale, masterSeed: masterSeed, control: control,
                                 experimentsRoot: experimentsRoot, onProgress: onProgress)
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

/// The package root could not be found; names every folder searched and how to say where it is.
public struct PackageRootError: Error, CustomStringConvertible {
    public let searched: [String]
    public var description: String {
        "no package root (a folder holding Experiments/) found; searched \(searched.joined(separator: ", ")) and their parents; pass --root DIR or set CLAIMCHECK_ROOT"
    }
}

/// Locates the package root (the folder holding `Experiments/`): `CLAIMCHECK_ROOT` if set, else the nearest ancestor
/// of the working directory that has `Experiments/`, else the nearest ancestor of the running executable's folder
/// (`.build/<config>/claimcheck` or a test bundle inside the checkout). Never a source path compiled into the binary:
/// that names the build machine's checkout, not the user's.
public func findPackageRoot(environment: [String: String] = ProcessInfo.processInfo.environment,
                            workingDirectory: String = FileManager.default.currentDirectoryPath,
                            executable: String? = executablePath()) throws -> URL {
    let fm = FileManager.default
    if let env = environment["CLAIMCHECK_ROOT"], !env.isEmpty {
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: URL(fileURLWithPath: env).appendingPathComponent("Experiments").path, isDirectory: &isDir), isDir.boolValue else {
            throw PackageRootError(searched: ["CLAIMCHECK_ROOT=\(env) (no Experiments/ there)"])
        }
        return URL(fileURLWithPath: env)
    }
    var starts = [URL(fileURLWithPath: workingDirectory)]
    if let executable { starts.append(URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()) }
    for start in starts {
        var dir = start.standardizedFileURL
        while true {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir.appendingPathComponent("Experiments").path, isDirectory: &isDir), isDir.boolValue { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
    }
    throw PackageRootError(searched: starts.map(\.path))
}

/// The running executable's path (`/proc/self/exe` on Linux), or nil.
public func executablePath() -> String? {
    #if os(Linux)
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    #endif
    return Bundle.main.executablePath ?? CommandLine.arguments.first
}

/// `findPackageRoot()`, or the working directory when there is none (tests and tools that run inside the checkout;
/// the CLI uses `findPackageRoot()` and reports the error instead).
public func locatePackageRoot() -> URL {
    (try? findPackageRoot()) ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}
