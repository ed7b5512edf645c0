import Foundation

/// The version written into partial results; `merge` refuses to combine partials from different versions.
public let claimcheckVersion = "0.1.0"

/// Shard I of N (1 ≤ I ≤ N), written "I/N".
public struct ShardSpec: Codable, Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else { throw ShardError("shard \(index)/\(count): need 1 ≤ I ≤ N") }
        self.index = index
        self.count = count
    }

    /// Parses "I/N".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { throw ShardError("'\(text)' is not a shard; expected I/N such as 2/8") }
        try self.init(index: i, count: n)
    }

    /// From a SLURM job array: shard = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1 of SLURM_ARRAY_TASK_COUNT.
    public static func fromSLURM(_ environment: [String: String]) throws -> ShardSpec? {
        guard let id = environment["SLURM_ARRAY_TASK_ID"], let count = environment["SLURM_ARRAY_TASK_COUNT"] else { return nil }
        guard let i = Int(id), let n = Int(count), let lowest = Int(environment["SLURM_ARRAY_TASK_MIN"] ?? "0") else {
            throw ShardError("SLURM_ARRAY_TASK_ID/COUNT/MIN are not integers (\(id), \(count))")
        }
        return try ShardSpec(index: i - lowest + 1, count: n)
    }

    public var description: String { "\(index)/\(count)" }
    public var fileName: String { "shard-\(index)-of-\(count).json" }

    /// Whether unit number `unit` (0-based, in `WorkUnit.all` order) belongs to this shard: round robin, so the split
    /// depends only on the unit list, never on timing.
    public func owns(_ unit: Int) -> Bool { unit % count == index - 1 }
}

public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One run: a claim (control == nil) or one of its negative controls.
public struct WorkUnit: Codable, Hashable, Sendable {
    public let claimID: String
    public let control: String?

    public init(claimID: String, control: String?) {
        self.claimID = claimID
        self.control = control
    }

    /// Every unit of `claims`, in order: each claim, then its controls.
    public static func all(_ claims: [any Claim]) -> [WorkUnit] {
        claims.flatMap { claim in [WorkUnit(claimID: claim.id, control: nil)] + claim.controls.map { WorkUnit(claimID: claim.id, control: $0.id) } }
    }
}

/// What one shard computed, with the header `merge` checks.
public struct PartialResult: Codable {
    public struct Entry: Codable {
        public let unit: WorkUnit
        public let report: Report
        public init(unit: WorkUnit, report: Report) {
            self.unit = unit
            self.report = report
        }
    }

    public var format = "claimcheck-partial/1"
    public let version: String
    public let scale: String
    public let masterSeed: UInt64
    /// Fingerprint of the selected claims' config files (FNV-1a, hex).
    public let configHash: String
    public let claims: [String]
    public let shard: ShardSpec
    public let entries: [Entry]

    public init(scale: Scale, masterSeed: UInt64, configHash: String, claims: [String], shard: ShardSpec, entries: [Entry]) {
        version = claimcheckVersion
        self.scale = scale.rawValue
        self.masterSeed = masterSeed
        self.configHash = configHash
        self.claims = claims
        self.shard = shard
        self.entries = entries
    }

    /// Same sweep, same code, same split: everything but the shard index and the entries.
    public func isCompatible(with other: PartialResult) -> Bool {
        format == other.format && version == other.version && scale == other.scale && masterSeed == other.masterSeed
            && configHash == other.configHash && claims == other.claims && shard.count == other.shard.count
    }

    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public static func decode(_ data: Data) throws -> PartialResult {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(PartialResult.self, from: data)
    }

    /// Checks that `partials` are one complete, consistent split: same header, every shard exactly once.
    /// Returns the reports by unit.
    public static func combine(_ partials: [(name: String, partial: PartialResult)]) throws -> [WorkUnit: Report] {
        guard let first = partials.first else { throw ShardError("no partial results given") }
        for (name, p) in partials.dropFirst() where !p.isCompatible(with: first.partial) {
            let what = [p.version != first.partial.version ? "version \(p.version) vs \(first.partial.version)" : nil,
                        p.configHash != first.partial.configHash ? "config hash \(p.configHash) vs \(first.partial.configHash)" : nil,
                        p.scale != first.partial.scale ? "scale \(p.scale) vs \(first.partial.scale)" : nil,
                        p.masterSeed != first.partial.masterSeed ? "seed \(p.masterSeed) vs \(first.partial.masterSeed)" : nil,
                        p.shard.count != first.partial.shard.count ? "shard count \(p.shard.count) vs \(first.partial.shard.count)" : nil,
                        p.claims != first.partial.claims ? "claim list" : nil].compactMap { $0 }.joined(separator: ", ")
            throw ShardError("\(name) does not match \(first.name): \(what.isEmpty ? "format" : what)")
        }
        let count = first.partial.shard.count
        var seen: [Int: String] = [:]
        for (name, p) in partials {
            if let earlier = seen[p.shard.index] { throw ShardError("shard \(p.shard) is given twice (\(earlier) and \(name))") }
            seen[p.shard.index] = name
        }
        let missing = (1...count).filter { seen[$0] == nil }
        if !missing.isEmpty { throw ShardError("missing shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(count)" }.joined(separator: ", "))") }
        var reports: [WorkUnit: Report] = [:]
        for (_, p) in partials { for e in p.entries { reports[e.unit] = e.report } }
        return reports
    }
}

/// FNV-1a 64-bit over each claim id and the bytes of its config file, as 16 hex digits.
public func configFingerprint(_ claims: [any Claim], experimentsRoot: URL) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 { for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 } }
    for claim in claims {
        add(claim.id.utf8)
        add([0])
        let url = experimentsRoot.appendingPathComponent(claim.family.folder).appendingPathComponent("\(claim.name).yaml")
        add(FileManager.default.contents(atPath: url.path) ?? Data())
        add([0])
    }
    return String(h, radix: 16).leftPadded(to: 16)
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
