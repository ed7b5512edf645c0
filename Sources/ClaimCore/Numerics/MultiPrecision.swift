import CLinearAlgebra
import Foundation

/// A binary floating-point number of arbitrary precision, backed by MPFR (round to nearest).
///
/// Value semantics: every operation returns a new number (an immutable MPFR value behind a reference). The
/// precision of a result is the larger of its operands' precisions, so integers made with `init(_: Int)` (64 bits,
/// exact) mix with numbers of any precision without losing anything. Used where Double's 53 bits stop a sweep short:
/// convergence down to ε = 1e-300 and below needs > 1000 bits.
public struct MultiPrecision: Sendable, Hashable, Comparable, CustomStringConvertible {
    final class Storage: @unchecked Sendable {
        var value = __mpfr_struct()
        init(precision: Int) { mpfr_init2(&value, mpfr_prec_t(precision)) }
        deinit { mpfr_clear(&value) }
    }

    let storage: Storage

    private init(precision: Int, _ body: (UnsafeMutablePointer<__mpfr_struct>) -> Void) {
        storage = Storage(precision: precision)
        body(&storage.value)
    }

    /// Bits of the significand.
    public var precision: Int { Int(mpfr_get_prec(&storage.value)) }

    /// The exact value of `value` (a Double is exact at 53 bits), stored with `precision` bits.
    public init(_ value: Double, precision: Int) {
        precondition(precision >= 53, "MultiPrecision: precision below 53 bits")
        self.init(precision: precision) { mpfr_set_d($0, value, MPFR_RNDN) }
    }

    /// An exact integer (64 bits).
    public init(_ value: Int) {
        self.init(precision: 64) { mpfr_set_si($0, value, MPFR_RNDN) }
    }

    public static var zero: MultiPrecision { MultiPrecision(0) }
    public static var one: MultiPrecision { MultiPrecision(1) }

    /// Nearest Double (underflows to 0 below ~1e-308; use `log2Magnitude` for tiny numbers).
    public var doubleValue: Double { mpfr_get_d(&storage.value, MPFR_RNDN) }

    /// log₂|x| as a Double (−∞ for 0), exact to Double precision however small |x| is.
    public var log2Magnitude: Double {
        if isZero { return -.infinity }
        var exponent = 0
        let mantissa = mpfr_get_d_2exp(&exponent, &storage.value, MPFR_RNDN)
        return Double(exponent) + Foundation.log2(Swift.abs(mantissa))
    }

    /// log₂|x| computed in MPFR (ln|x|/ln 2 at working precision) and rounded to Double: full relative accuracy also
    /// for |x| close to 1, where `log2Magnitude` (a Double log of the mantissa) loses digits to cancellation.
    public var log2: Double {
        let value = MultiPrecision.log(magnitude) / MultiPrecision.log(MultiPrecision(2.0, precision: precision))
        return value.doubleValue
    }

    /// The binary exponent e with |x| ∈ [2^{e−1}, 2^e), or Int.min for 0.
    public var exponent: Int {
        if isZero { return .min }
        var exponent = 0
        _ = mpfr_get_d_2exp(&exponent, &storage.value, MPFR_RNDN)
        return exponent
    }

    public var isZero: Bool { mpfr_zero_p(&storage.value) != 0 }
    public var isFinite: Bool { mpfr_number_p(&storage.value) != 0 }
    public var sign: Int { Int(mpfr_cmp_si_2exp(&storage.value, 0, 0).signum()) }

    public var description: String { "\(doubleValue) [\(precision) bits]" }

    private static func binary(_ a: MultiPrecision, _ b: MultiPrecision,
                               _ op: (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32) -> MultiPrecision {
        MultiPrecision(precision: max(a.precision, b.precision)) { result in _ = op(result, &a.storage.value, &b.storage.value, MPFR_RNDN) }
    }

    private func unary(_ op: (UnsafeMutablePointer<__mpfr_struct>, UnsafePointer<__mpfr_struct>, mpfr_rnd_t) -> Int32) -> MultiPrecision {
        MultiPrecision(precision: precision) { result in _ = op(result, &storage.value, MPFR_RNDN) }
    }

    public static func + (a: MultiPrecision, b: MultiPrecision) -> MultiPrecision { binary(a, b, mpfr_add) }
    public static func - (a: MultiPrecision, b: MultiPrecision) -> MultiPrecision { binary(a, b, mpfr_sub) }
    public static func * (a: MultiPrecision, b: MultiPrecision) -> MultiPrecision { binary(a, b, mpfr_mul) }
    public static func / (a: MultiPrecision, b: MultiPrecision) -> MultiPrecision { binary(a, b, mpfr_div) }
    public static prefix func - (a: MultiPrecision) -> MultiPrecision { a.unary(mpfr_neg) }

    /// x·2^e (exact).
    public func scaled(byPowerOfTwo e: Int) -> MultiPrecision {
        MultiPrecision(precision: precision) { result in _ = mpfr_mul_2si(result, &storage.value, e, MPFR_RNDN) }
    }

    /// The same value rounded to `bits` bits of precision.
    public func withPrecision(_ bits: Int) -> MultiPrecision {
        MultiPrecision(precision: bits) { result in _ = mpfr_set(result, &storage.value, MPFR_RNDN) }
    }

    public var magnitude: MultiPrecision { unary(mpfr_abs) }
    public func squareRoot() -> MultiPrecision { unary(mpfr_sqrt) }

    /// Natural logarithm, eˣ, ln(1 + x).
    public static func log(_ x: MultiPrecision) -> MultiPrecision { x.unary(mpfr_log) }
    public static func exp(_ x: MultiPrecision) -> MultiPrecision { x.unary(mpfr_exp) }
    public static func log1p(_ x: MultiPrecision) -> MultiPrecision { x.unary(mpfr_log1p) }

    public static func == (a: MultiPrecision, b: MultiPrecision) -> Bool { mpfr_equal_p(&a.storage.value, &b.storage.value) != 0 }
    public static func < (a: MultiPrecision, b: MultiPrecision) -> Bool { mpfr_less_p(&a.storage.value, &b.storage.value) != 0 }

    /// Hash of the nearest Double: equal numbers hash equally (distinct numbers may collide).
    public func hash(into hasher: inout Hasher) { hasher.combine(doubleValue) }
}
