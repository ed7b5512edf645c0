import BigInt

/// An exact rational number p/q on attaswift/BigInt, always stored in lowest terms with q > 0.
///
/// Used to check the constructions of the family with no rounding at all: an identity that holds in `Rational`
/// holds as an algebraic identity for that input, and a wrong weight is caught however small the error.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: BigInt
    /// Always positive.
    public let denominator: BigInt

    /// p/q reduced by gcd(p, q), with the sign moved to the numerator. Precondition: q ≠ 0.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Rational: zero denominator")
        if numerator.isZero {
            self.numerator = 0
            self.denominator = 1
            return
        }
        let divisor = numerator.greatestCommonDivisor(with: denominator)
        let sign: BigInt = denominator.sign == .minus ? -1 : 1
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    private init(reduced numerator: BigInt, _ denominator: BigInt) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public init(_ value: Int) { self.init(reduced: BigInt(value), 1) }

    /// The exact value of a finite Double: m·2^e with integer m.
    public init(exactly value: Double) {
        precondition(value.isFinite, "Rational: non-finite Double")
        if value == 0 { self.init(reduced: 0, 1); return }
        let shift = Int(value.exponent) - Double.significandBitCount
        let mantissa = BigInt(Int64(value.significand * Double(sign: .plus, exponent: Double.significandBitCount, significand: 1)))
        let signed = value < 0 ? -mantissa : mantissa
        if shift >= 0 {
            self.init(signed << shift, 1)
        } else {
            self.init(signed, BigInt(1) << (-shift))
        }
    }

    public static let zero = Rational(reduced: 0, 1)
    public static let one = Rational(reduced: 1, 1)

    public var isZero: Bool { numerator.isZero }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// The nearest Double (numerator and denominator are scaled into range first, so huge entries do not overflow).
    public var doubleValue: Double {
        let bits = max(numerator.magnitude.bitWidth, denominator.magnitude.bitWidth)
        let excess = max(0, bits - 1000)
        let n = Double(numerator >> excess)
        let d = Double(denominator >> excess)
        return n / d
    }

    public static func + (a: Rational, b: Rational) -> Rational {
        if a.isZero { return b }
        if b.isZero { return a }
        if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    public static prefix func - (a: Rational) -> Rational { Rational(reduced: -a.numerator, a.denominator) }

    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }

    public static func * (a: Rational, b: Rational) -> Rational {
        if a.isZero || b.isZero { return .zero }
        // Cross-reduce first so the products stay small.
        let g1 = a.numerator.greatestCommonDivisor(with: b.denominator)
        let g2 = b.numerator.greatestCommonDivisor(with: a.denominator)
        return Rational(reduced: (a.numerator / g1) * (b.numerator / g2), (a.denominator / g2) * (b.denominator / g1))
    }

    public static func / (a: Rational, b: Rational) -> Rational {
        precondition(!b.isZero, "Rational: division by zero")
        return Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }

    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }
}
