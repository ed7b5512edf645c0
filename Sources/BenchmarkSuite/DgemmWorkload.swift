import CReference
import ClaimCore

/// C = A·B for n×n Gaussian matrices: `Matrix *` (ClaimCore, as the claims multiply) against one raw `cblas_dgemm`
/// into a preallocated buffer. 2n³ flops; OpenBLAS on one thread in both (ClaimCore's `LibrarySetup`).
public struct DgemmWorkload {
    public let a: Matrix
    public let b: Matrix

    public init(size n: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.dgemm", masterSeed: seed, path: [n]))
        a = random.gaussianMatrix(rows: n, columns: n)
        b = random.gaussianMatrix(rows: n, columns: n)
    }

    public func runSwift() -> [Double] { (a * b).elements }

    /// `cref_dgemm` into a fresh buffer (for tests; the timed C way reuses one buffer).
    public func runC() -> [Double] {
        var c = [Double](repeating: 0, count: a.rows * b.columns)
        cref_dgemm(a.rows, b.columns, a.columns, a.elements, b.elements, &c)
        return c
    }

    public func workload() -> Workload {
        let n = a.rows
        // The C way keeps one output buffer across runs, as a hand-written C caller would. The runner drops every
        // returned copy before the next call, so writing into `output` never triggers a copy-on-write.
        var output = [Double](repeating: 0, count: n * n)
        let a = self.a, b = self.b
        return Workload(family: "core", name: "dgemm through Matrix *", size: "n = \(n)", loopBound: false,
                        flops: 2 * Double(n * n * n),
                        calls: "`Matrix * Matrix` (allocates C, `cblas_dgemm`) · `cref_dgemm` (one `cblas_dgemm` into a reused buffer) · `Benchmarks/dgemm.py` (`a @ b`)",
                        swift: { (a * b).elements },
                        c: {
                            output.withUnsafeMutableBufferPointer { cref_dgemm(n, n, n, a.elements, b.elements, $0.baseAddress) }
                            return output
                        },
                        numpy: NumpyJob(script: "dgemm.py", parameters: ["size": Double(n)], inputs: ["a": a.elements, "b": b.elements]))
    }
}
