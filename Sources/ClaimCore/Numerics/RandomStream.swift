@preconcurrency import CLinearAlgebra

/// A reproducible random stream on GSL's Mersenne Twister (`gsl_rng_mt19937`).
///
/// Streams are identified by a `StreamKey` — (claim id, master seed, path of integers such as
/// (size index, repetition)) — hashed to the generator's seed, so a stream never depends on
/// which thread draws from it or in which order streams are created. A stream is not thread-safe:
/// give each worker its own.
public final class RandomStream {
    @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>
    public let seed: UInt64

    /// A stream seeded directly (`gsl_rng_set`; mt19937 uses the low 32 bits of the seed).
    public init(seed: UInt64) {
        LibrarySetup.once
        guard let rng = gsl_rng_alloc(gsl_rng_mt19937) else { fatalError("gsl_rng_alloc returned NULL (out of memory)") }
        generator = rng
        self.seed = seed
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
    }

    /// The stream for `key`.
    public convenience init(_ key: StreamKey) { self.init(seed: key.seed) }

    deinit { gsl_rng_free(generator) }

    /// Uniform on [0, 1) (`gsl_rng_uniform`).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// Uniform on [a, b) (`gsl_ran_flat`).
    @inlinable public func uniform(_ a: Double, _ b: Double) -> Double { gsl_ran_flat(generator, a, b) }

    /// Uniform integer in 0..<n (`gsl_rng_uniform_int`, unbiased).
    @inlinable public func index(below n: Int) -> Int { Int(gsl_rng_uniform_int(generator, UInt(n))) }

    /// N(mean, sd²) (`gsl_ran_gaussian_ziggurat`).
    @inlinable public func gaussian(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        mean + gsl_ran_gaussian_ziggurat(generator, standardDeviation)
    }

    /// ±1 with probability ½ each (`gsl_ran_bernoulli`).
    @inlinable public func rademacher() -> Double { gsl_ran_bernoulli(generator, 0.5) == 1 ? 1 : -1 }

    /// The bulk draws are always inlined, so that they compile into the (optimised) family modules: ClaimCore itself
    /// builds without optimisation in debug, where a closure-based loop costs ~10× (`swift test` runs debug builds).
    /// Each fills its array with the same GSL calls, in the same order, as the scalar draws above.
    @inlinable @inline(__always) public func gaussians(_ count: Int, mean: Double = 0, standardDeviation: Double = 1) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = mean + gsl_ran_gaussian_ziggurat(generator, standardDeviation) }
            initialized = count
        }
    }

    @inlinable @inline(__always) public func uniforms(_ count: Int, _ a: Double = 0, _ b: Double = 1) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = gsl_ran_flat(generator, a, b) }
            initialized = count
        }
    }

    @inlinable @inline(__always) public func rademachers(_ count: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = gsl_ran_bernoulli(generator, 0.5) == 1 ? 1 : -1 }
            initialized = count
        }
    }

    /// An m×n matrix of i.i.d. N(0, sd²) entries.
    @inlinable @inline(__always) public func gaussianMatrix(rows: Int, columns: Int, standardDeviation: Double = 1) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: gaussians(rows * columns, standardDeviation: standardDeviation))
    }

    /// A point uniform on the unit sphere S^{d−1} ⊂ ℝᵈ (`gsl_ran_dir_nd`).
    public func unitSphere(dimension d: Int) -> [Double] {
        var x = [Double](repeating: 0, count: d)
        x.withUnsafeMutableBufferPointer { gsl_ran_dir_nd(generator, d, $0.baseAddress) }
        return x
    }

    /// Shuffles `values` uniformly in place (`gsl_ran_shuffle`, Fisher–Yates).
    @inlinable public func shuffle<T>(_ values: inout [T]) {
        values.withUnsafeMutableBufferPointer { shuffle($0) }
    }

    /// Shuffles a buffer uniformly in place (`gsl_ran_shuffle`).
    @inlinable public func shuffle<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard buffer.count > 1 else { return }
        gsl_ran_shuffle(generator, UnsafeMutableRawPointer(buffer.baseAddress!), buffer.count, MemoryLayout<T>.stride)
    }

    /// A uniformly random permutation of 0..<n.
    @inlinable public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// A random orthogonal d×d matrix, Haar-distributed: Q from the QR factorisation of a Gaussian matrix,
    /// with column signs fixed by sign(diag R) (LAPACK `dgeqrf` + `dorgqr`).
    public func orthogonalMatrix(_ d: Int) throws -> Matrix {
        var a = gaussianMatrix(rows: d, columns: d).elements
        var tau = [Double](repeating: 0, count: d)
        try checkLAPACK("dgeqrf", LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(d), Int32(d), &a, Int32(d), &tau))
        let diagonalSigns = (0..<d).map { a[$0 + $0 * d] < 0 ? -1.0 : 1.0 }
        try checkLAPACK("dorgqr", LAPACKE_dorgqr(LAPACK_COL_MAJOR, Int32(d), Int32(d), Int32(d), &a, Int32(d), tau))
        for j in 0..<d where diagonalSigns[j] < 0 { for i in 0..<d { a[i + j * d] = -a[i + j * d] } }
        return Matrix(rows: d, columns: d, elements: a)
    }
}

/// The identity of a random stream: which claim, which master seed, and a path of integers
/// (e.g. `[sizeIndex, repetition]`). Equal keys give identical streams; different keys give
/// streams seeded by a 64-bit mix of all parts.
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public let claim: String
    public let masterSeed: UInt64
    public let path: [Int]

    public init(claim: String, masterSeed: UInt64, path: [Int] = []) {
        self.claim = claim
        self.masterSeed = masterSeed
        self.path = path
    }

    public func child(_ index: Int...) -> StreamKey { StreamKey(claim: claim, masterSeed: masterSeed, path: path + index) }

    /// Seed = splitmix64 chain over FNV-1a(claim), the master seed and each path entry.
    public var seed: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in claim.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        h = Self.mix(h ^ Self.mix(masterSeed))
        for p in path { h = Self.mix(h ^ Self.mix(UInt64(bitPattern: Int64(p)) &+ 0x9e37_79b9_7f4a_7c15)) }
        return h
    }

    public var description: String { "\(claim)#\(masterSeed)/\(path.map(String.init).joined(separator: "/"))" }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Process-wide configuration of the C libraries, applied once before any stream, fit or run:
/// - GSL's default error handler aborts the process; it is turned off so that every GSL status comes back as a
///   return code and becomes a thrown `NumericsError`;
/// - OpenBLAS runs single-threaded: claimcheck parallelises over repetitions itself, and one BLAS thread makes every
///   product's summation order, hence every output byte, independent of `OPENBLAS_NUM_THREADS`.
public enum LibrarySetup {
    public static let once: Void = {
        _ = gsl_set_error_handler_off()
        openblas_set_num_threads(1)
    }()
}
