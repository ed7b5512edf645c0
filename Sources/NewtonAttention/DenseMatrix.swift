import ClaimCore

/// A scalar the linear-attention transformer can run in: `Double` (products through BLAS `dgemm`) or `Rational`
/// (exact, products by straightforward loops — BLAS cannot multiply rationals).
public protocol TransformerScalar: Sendable, Hashable, Comparable {
    static var zero: Self { get }
    static var one: Self { get }
    init(_ value: Int)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    /// Nearest Double, for reporting.
    var doubleValue: Double { get }
    /// C = op(A)·op(B), op = identity or transpose.
    static func product(_ a: DenseMatrix<Self>, transposeA: Bool, _ b: DenseMatrix<Self>, transposeB: Bool) -> DenseMatrix<Self>
}

extension TransformerScalar {
    /// Exact generic product: C[i, j] = Σ_l op(A)[i, l]·op(B)[l, j], skipping zero entries of op(B)
    /// (the constructed weight matrices are mostly zeros).
    @inlinable public static func product(_ a: DenseMatrix<Self>, transposeA: Bool, _ b: DenseMatrix<Self>, transposeB: Bool) -> DenseMatrix<Self> {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition(k == (transposeB ? b.columns : b.rows), "DenseMatrix product: inner dimensions differ")
        var c = DenseMatrix<Self>(rows: m, columns: n)
        let zero = Self.zero
        for j in 0..<n {
            for l in 0..<k {
                let blj = transposeB ? b.elements[j + l * b.rows] : b.elements[l + j * b.rows]
                if blj == zero { continue }
                for i in 0..<m {
                    let ail = transposeA ? a.elements[l + i * a.rows] : a.elements[i + l * a.rows]
                    if ail == zero { continue }
                    c.elements[i + j * m] = c.elements[i + j * m] + ail * blj
                }
            }
        }
        return c
    }
}

extension Double: TransformerScalar {
    public static var one: Double { 1 }
    public var doubleValue: Double { self }

    /// Through ClaimCore's `Matrix.product` (cblas_dgemm); the arrays are shared, not copied element by element.
    @inlinable public static func product(_ a: DenseMatrix<Double>, transposeA: Bool, _ b: DenseMatrix<Double>, transposeB: Bool) -> DenseMatrix<Double> {
        let c = try! Matrix.product(a.matrix, transposeA: transposeA, b.matrix, transposeB: transposeB)
        return DenseMatrix(c)
    }
}

extension Rational: TransformerScalar {}

/// A dense column-major matrix over a `TransformerScalar`; entry (i, j) at `elements[i + j·rows]`.
public struct DenseMatrix<Scalar: TransformerScalar>: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public var elements: [Scalar]

    @inlinable public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(elements.count == rows * columns, "DenseMatrix: \(rows)×\(columns) needs \(rows * columns) elements")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    @inlinable public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: .zero, count: rows * columns))
    }

    public static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = .one }
        return m
    }

    public subscript(row: Int, column: Int) -> Scalar {
        get { elements[row + column * rows] }
        set { elements[row + column * rows] = newValue }
    }

    public var transposed: DenseMatrix {
        var t = DenseMatrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    /// Rows `offset ..< offset + height` (a block of a prompt).
    public func rowBlock(_ offset: Int, _ height: Int) -> DenseMatrix {
        var b = DenseMatrix(rows: height, columns: columns)
        for j in 0..<columns { for i in 0..<height { b[i, j] = self[offset + i, j] } }
        return b
    }

    /// Writes `block` into rows starting at `rowOffset`, columns starting at `columnOffset`.
    public mutating func setBlock(_ block: DenseMatrix, rowOffset: Int, columnOffset: Int = 0) {
        for j in 0..<block.columns { for i in 0..<block.rows { self[rowOffset + i, columnOffset + j] = block[i, j] } }
    }

    // @_specialize: a Double entry point for callers in other files of debug (non-WMO) builds, where the generic body
    // would run unspecialised (~10× slower in `swift test`); release builds inline and specialise anyway.
    @_specialize(where Scalar == Double, T == Double)
    @inlinable public func map<T>(_ transform: (Scalar) -> T) -> DenseMatrix<T> {
        DenseMatrix<T>(rows: rows, columns: columns, elements: elements.map(transform))
    }

    @inlinable public static func * (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix { Scalar.product(a, transposeA: false, b, transposeB: false) }

    @_specialize(where Scalar == Double)
    @inlinable public static func + (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return DenseMatrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }

    @_specialize(where Scalar == Double)
    @inlinable public static func - (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return DenseMatrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }

    @inlinable public static func * (c: Scalar, a: DenseMatrix) -> DenseMatrix { a.map { c * $0 } }

    /// Mⁿ by repeated products (n ≥ 0).
    public func power(_ n: Int) -> DenseMatrix {
        var result = DenseMatrix.identity(rows)
        for _ in 0..<n { result = result * self }
        return result
    }

    /// max |mᵢⱼ| as a Double.
    public var maxAbs: Double { elements.reduce(0) { max($0, abs($1.doubleValue)) } }
}

extension DenseMatrix where Scalar == Double {
    @inlinable public init(_ matrix: Matrix) { self.init(rows: matrix.rows, columns: matrix.columns, elements: matrix.elements) }
    @inlinable public var matrix: Matrix { Matrix(rows: rows, columns: columns, elements: elements) }
}

extension DenseMatrix where Scalar == Rational {
    /// The exact rational matrix of integer (or any Double) entries.
    public init(exactly matrix: DenseMatrix<Double>) { self = matrix.map { Rational(exactly: $0) } }
    public var doubles: DenseMatrix<Double> { map(\.doubleValue) }
}
