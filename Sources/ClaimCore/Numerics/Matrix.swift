@preconcurrency import CLinearAlgebra

/// A dense real matrix in column-major order (LAPACK's native layout): entry (i, j) lives at `elements[i + j*rows]`.
///
/// Products, solves and factorisations call OpenBLAS/LAPACKE directly on `elements`; no routine copies
/// the storage except where LAPACK overwrites its input and the operand must survive.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    public var elements: [Double]

    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns, "Matrix: \(rows)×\(columns) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: value, count: rows * columns))
    }

    /// Builds a matrix from row arrays (the way matrices are written on paper).
    public init(_ rowArrays: [[Double]]) {
        let rows = rowArrays.count
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "Matrix: ragged rows")
        var elements = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows { for j in 0..<columns { elements[i + j * rows] = rowArrays[i][j] } }
        self.init(rows: rows, columns: columns, elements: elements)
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = 1 }
        return m
    }

    public static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m.elements[i + i * values.count] = v }
        return m
    }

    /// Inlinable so that element loops in the (optimised) family modules do not call into ClaimCore, which builds
    /// without -O in debug (no unsafe flags in a product).
    @inlinable public subscript(row: Int, column: Int) -> Double {
        get { elements[row + column * rows] }
        set { elements[row + column * rows] = newValue }
    }

    @inlinable public func column(_ j: Int) -> [Double] { Array(elements[(j * rows)..<((j + 1) * rows)]) }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.elements[j + i * columns] = elements[i + j * rows] } }
        return t
    }

    public var isSquare: Bool { rows == columns }

    public var description: String {
        (0..<rows).map { i in (0..<columns).map { j in String(self[i, j]) }.joined(separator: " ") }.joined(separator: "\n")
    }

    /// Frobenius norm ‖A‖_F = (Σᵢⱼ aᵢⱼ²)^{1/2} (BLAS dnrm2).
    public var frobeniusNorm: Double { cblas_dnrm2(Int32(elements.count), elements, 1) }

    /// Spectral norm ‖A‖₂ = σ_max(A), from the singular values.
    public func spectralNorm() throws -> Double { try singularValues().first ?? 0 }

    /// Trace Σᵢ aᵢᵢ.
    public var trace: Double { (0..<min(rows, columns)).reduce(0) { $0 + self[$1, $1] } }
}

// MARK: - BLAS level 1–3

extension Matrix {
    /// C = α·op(A)·op(B) + β·C through `cblas_dgemm`.
    public static func gemm(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                            alpha: Double = 1, beta: Double = 0, into c: inout Matrix) throws {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        guard k == kb, c.rows == m, c.columns == n else {
            throw NumericsError.dimensionMismatch("gemm: op(A) is \(m)×\(k), op(B) is \(kb)×\(n), C is \(c.rows)×\(c.columns)")
        }
        if m == 0 || n == 0 { return }
        cblas_dgemm(CblasColMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a.elements, Int32(max(1, a.rows)),
                    b.elements, Int32(max(1, b.rows)), beta, &c.elements, Int32(max(1, c.rows)))
    }

    /// A·B (dgemm).
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "Matrix *: \(lhs.rows)×\(lhs.columns) times \(rhs.rows)×\(rhs.columns)")
        var c = Matrix(rows: lhs.rows, columns: rhs.columns)
        try! gemm(lhs, rhs, into: &c)
        return c
    }

    /// op(A)·op(B) with explicit transposes (dgemm), without forming the transpose.
    public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) throws -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        try gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// Gram matrix AᵀA (n×n for an m×n A) through `cblas_dsyrk`, symmetrised.
    public func gram() -> Matrix {
        var c = Matrix(rows: columns, columns: columns)
        if columns == 0 { return c }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, elements, Int32(max(1, rows)), 0, &c.elements, Int32(columns))
        for j in 0..<columns { for i in (j + 1)..<columns { c.elements[i + j * columns] = c.elements[j + i * columns] } }
        return c
    }

    /// y = α·op(A)·x + β·y through `cblas_dgemv`.
    public func multiply(_ x: [Double], transpose: Bool = false, alpha: Double = 1, beta: Double = 0, into y: inout [Double]) throws {
        let inDim = transpose ? rows : columns
        let outDim = transpose ? columns : rows
        guard x.count == inDim, y.count == outDim else {
            throw NumericsError.dimensionMismatch("gemv: op(A) is \(outDim)×\(inDim), x has \(x.count), y has \(y.count)")
        }
        if rows == 0 || columns == 0 { return }
        cblas_dgemv(CblasColMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha,
                    elements, Int32(max(1, rows)), x, 1, beta, &y, 1)
    }

    /// A·x (dgemv).
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: lhs.rows)
        try! lhs.multiply(rhs, into: &y)
        return y
    }

    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix +: shape mismatch")
        var out = lhs
        cblas_daxpy(Int32(out.elements.count), 1, rhs.elements, 1, &out.elements, 1)
        return out
    }

    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix -: shape mismatch")
        var out = lhs
        cblas_daxpy(Int32(out.elements.count), -1, rhs.elements, 1, &out.elements, 1)
        return out
    }

    public static func * (scalar: Double, matrix: Matrix) -> Matrix {
        var out = matrix
        cblas_dscal(Int32(out.elements.count), scalar, &out.elements, 1)
        return out
    }
}

// MARK: - LAPACK

/// Eigen-decomposition of a symmetric matrix: A = V·diag(λ)·Vᵀ, eigenvalues ascending.
public struct SymmetricEigen: Sendable {
    public let values: [Double]
    /// Orthonormal eigenvectors as columns, in the order of `values`.
    public let vectors: Matrix
}

/// Thin singular value decomposition A = U·diag(σ)·Vᵀ, singular values descending.
public struct SingularValueDecomposition: Sendable {
    public let u: Matrix
    public let singularValues: [Double]
    public let vt: Matrix
}

extension Matrix {
    /// Solves A·X = B by LU with partial pivoting (`LAPACKE_dgesv`). Throws if A is singular (info > 0).
    public func solve(_ b: Matrix) throws -> Matrix {
        guard isSquare, b.rows == rows else { throw NumericsError.dimensionMismatch("dgesv: A is \(rows)×\(columns), B is \(b.rows)×\(b.columns)") }
        var lu = elements
        var x = b.elements
        var pivots = [Int32](repeating: 0, count: rows)
        let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, Int32(rows), Int32(b.columns), &lu, Int32(max(1, rows)), &pivots, &x, Int32(max(1, rows)))
        try checkLAPACK("dgesv", info)
        return Matrix(rows: b.rows, columns: b.columns, elements: x)
    }

    /// Solves A·x = b for one right-hand side.
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// Inverse A⁻¹ by LU (`dgetrf` + `dgetri`).
    public func inverse() throws -> Matrix {
        guard isSquare else { throw NumericsError.dimensionMismatch("dgetri: A is \(rows)×\(columns)") }
        var a = elements
        var pivots = [Int32](repeating: 0, count: rows)
        try checkLAPACK("dgetrf", LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(rows), Int32(rows), &a, Int32(max(1, rows)), &pivots))
        try checkLAPACK("dgetri", LAPACKE_dgetri(LAPACK_COL_MAJOR, Int32(rows), &a, Int32(max(1, rows)), pivots))
        return Matrix(rows: rows, columns: columns, elements: a)
    }

    /// Lower Cholesky factor L with A = L·Lᵀ (`dpotrf`). Throws if A is not positive definite (info > 0).
    public func cholesky() throws -> Matrix {
        guard isSquare else { throw NumericsError.dimensionMismatch("dpotrf: A is \(rows)×\(columns)") }
        var a = elements
        try checkLAPACK("dpotrf", LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(rows), &a, Int32(max(1, rows))))
        for j in 0..<columns { for i in 0..<j { a[i + j * rows] = 0 } }
        return Matrix(rows: rows, columns: columns, elements: a)
    }

    /// Eigenvalues and eigenvectors of a symmetric matrix (`dsyevd`, reads the upper triangle).
    public func symmetricEigen() throws -> SymmetricEigen {
        guard isSquare else { throw NumericsError.dimensionMismatch("dsyevd: A is \(rows)×\(columns)") }
        var a = elements
        var w = [Double](repeating: 0, count: rows)
        try checkLAPACK("dsyevd", LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(rows), &a, Int32(max(1, rows)), &w))
        return SymmetricEigen(values: w, vectors: Matrix(rows: rows, columns: columns, elements: a))
    }

    /// Eigenvalues only of a symmetric matrix, ascending (`dsyevd` with jobz = N).
    public func symmetricEigenvalues() throws -> [Double] {
        guard isSquare else { throw NumericsError.dimensionMismatch("dsyevd: A is \(rows)×\(columns)") }
        var a = elements
        var w = [Double](repeating: 0, count: rows)
        try checkLAPACK("dsyevd", LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "U")), Int32(rows), &a, Int32(max(1, rows)), &w))
        return w
    }

    /// Thin SVD (`dgesdd`).
    public func svd() throws -> SingularValueDecomposition {
        let m = rows, n = columns, k = min(m, n)
        var a = elements
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: m * k)
        var vt = [Double](repeating: 0, count: k * n)
        try checkLAPACK("dgesdd", LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int32(m), Int32(n), &a, Int32(max(1, m)), &s, &u, Int32(max(1, m)), &vt, Int32(max(1, k))))
        return SingularValueDecomposition(u: Matrix(rows: m, columns: k, elements: u), singularValues: s, vt: Matrix(rows: k, columns: n, elements: vt))
    }

    /// Singular values only, descending (`dgesdd` with jobz = N).
    public func singularValues() throws -> [Double] {
        let m = rows, n = columns, k = min(m, n)
        var a = elements
        var s = [Double](repeating: 0, count: k)
        var unused = [Double](repeating: 0, count: 1)
        var unusedT = [Double](repeating: 0, count: 1)
        try checkLAPACK("dgesdd", LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), &a, Int32(max(1, m)), &s, &unused, 1, &unusedT, 1))
        return s
    }

    /// Minimum-norm least-squares solution of min‖A·x − b‖₂ (`dgelsd`, SVD-based, rcond = machine ε).
    public func leastSquares(_ b: [Double]) throws -> [Double] {
        guard b.count == rows else { throw NumericsError.dimensionMismatch("dgelsd: A has \(rows) rows, b has \(b.count)") }
        let ldb = max(1, max(rows, columns))
        var a = elements
        var rhs = [Double](repeating: 0, count: ldb)
        for i in 0..<rows { rhs[i] = b[i] }
        var s = [Double](repeating: 0, count: max(1, min(rows, columns)))
        var rank: Int32 = 0
        try checkLAPACK("dgelsd", LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(rows), Int32(columns), 1, &a, Int32(max(1, rows)), &rhs, Int32(ldb), &s, -1, &rank))
        return Array(rhs[0..<columns])
    }
}

// MARK: - Vectors (BLAS level 1)

public enum Vector {
    /// ⟨x, y⟩ (ddot).
    @inlinable public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        return cblas_ddot(Int32(x.count), x, 1, y, 1)
    }

    /// ‖x‖₂ (dnrm2).
    @inlinable public static func norm(_ x: [Double]) -> Double { cblas_dnrm2(Int32(x.count), x, 1) }

    /// y ← α·x + y (daxpy).
    @inlinable public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count)
        cblas_daxpy(Int32(x.count), alpha, x, 1, &y, 1)
    }
}
