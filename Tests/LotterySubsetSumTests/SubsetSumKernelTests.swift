import ClaimCore
import Testing
@testable import LotterySubsetSum

/// The exact kernels against brute force on small instances, and the family's spec numbers.
@Suite struct SubsetSumKernelTests {
    /// All subset sums by brute force over bit masks.
    func bruteForceSums(_ x: [Double]) -> [Double] {
        (0..<(1 << x.count)).map { mask in x.indices.reduce(0.0) { mask & (1 << $1) != 0 ? $0 + x[$1] : $0 } }.sorted()
    }

    @Test func sortedSumsMatchBruteForce() {
        let random = RandomStream(seed: 7)
        for n in [0, 1, 2, 5, 9, 12] {
            let x = random.uniforms(n, -1, 1)
            let fast = SubsetSum.sortedSums(x), slow = bruteForceSums(x)
            #expect(fast.count == slow.count)
            #expect(zip(fast, slow).allSatisfy { abs($0 - $1) < 1e-12 })
            let (sums, masks) = SubsetSum.sortedSumsWithMasks(x)
            #expect(zip(sums, masks).allSatisfy { s, m in abs(s - x.indices.reduce(0.0) { m & (1 << UInt32($1)) != 0 ? $0 + x[$1] : $0 }) < 1e-12 })
        }
    }

    /// The meet-in-the-middle coverage decision agrees with ENUM + SUP just below and just above the exact error, and
    /// nested prefix errors equal fresh enumerations.
    @Test func coverageDecisionAndPrefixesMatchEnumeration() {
        let random = RandomStream(seed: 13)
        for n in [6, 11, 16, 21] {
            let x = random.uniforms(n, -1, 1).map { $0 * random.uniform() }
            let exact = SubsetSum.worstCaseError(x, over: -0.5, 0.5)
            #expect(SubsetSum.covers(x, over: -0.5, 0.5, within: exact * 0.999) == false)
            #expect(SubsetSum.covers(x, over: -0.5, 0.5, within: exact * 1.001) == true)
        }
        let x = random.uniforms(14, -1, 1)
        let nested = SubsetSum.prefixWorstCaseErrors(x, sizes: [4, 9, 14], over: -1, 1)
        #expect(zip(nested, [4, 9, 14]).allSatisfy { e, n in e == SubsetSum.worstCaseError(Array(x.prefix(n)), over: -1, 1) })
    }

    /// Per-prefix errors for many targets equal brute force over every subset of every prefix; the reported subset
    /// size and residual belong to a minimiser at the full size.
    @Test func prefixErrorsMatchBruteForce() {
        let random = RandomStream(seed: 17)
        let x = random.uniforms(9, -0.5, 0.6), targets = random.uniforms(40, -0.3, 0.3) + [0, 5, -5]
        let (errors, sizes, residuals) = SubsetSum.prefixErrors(x, targets: targets)
        #expect(errors.count == x.count + 1)
        for k in 0...x.count {
            let sums = bruteForceSums(Array(x.prefix(k)))
            for (t, z) in targets.enumerated() { #expect(errors[k][t] == sums.map { abs($0 - z) }.min()!) }
        }
        let masks = (0..<(1 << x.count))
        for (t, z) in targets.enumerated() {
            #expect(abs(residuals[t]) == errors[x.count][t])
            // Some subset of the reported size achieves the residual.
            #expect(masks.contains { m in m.nonzeroBitCount == sizes[t] && abs(z - x.indices.reduce(0.0) { m & (1 << $1) != 0 ? $0 + x[$1] : $0 } - residuals[t]) < 1e-12 })
        }
    }

    /// SUP against a dense target grid (the grid can only under-estimate, by at most half its step).
    @Test func supErrorMatchesADenseGrid() {
        let random = RandomStream(seed: 11)
        for n in [3, 6, 10] {
            let s = SubsetSum.sortedSums(random.uniforms(n, -1, 1))
            let exact = SubsetSum.supError(s, over: -1, 1)
            let grid = (0...200_000).map { SubsetSum.distance(s, -1 + 2 * Double($0) / 200_000) }.max()!
            #expect(grid <= exact + 1e-15 && exact - grid <= 1e-5)
        }
    }

    /// MITM equals the brute-force optimum, and the returned subset achieves it.
    @Test func meetInTheMiddleIsExact() {
        let random = RandomStream(seed: 13)
        for n in [1, 2, 7, 12, 15] {
            let p = random.uniforms(n, -1, 1), w = random.uniform(-1, 1)
            let best = SubsetSum.best(p, target: w)
            let brute = bruteForceSums(p).map { abs(w - $0) }.min()!
            #expect(abs(best.error - brute) < 1e-12)
            let achieved = p.indices.reduce(0.0) { best.subset & (1 << UInt64($1)) != 0 ? $0 + p[$1] : $0 }
            #expect(abs(abs(w - achieved) - best.error) < 1e-12)
        }
    }

    /// Spec §4: the "unsplit" bug (one subset sum over all products for both half-lines) is caught by the identity.
    @Test func unsplitPruningViolatesTheHalfLineIdentity() {
        let random = RandomStream(seed: 17)
        let blk = ReLUBlock(a: random.uniforms(16, -1, 1), b: random.uniforms(16, -1, 1))
        let w = 0.3
        let all = SubsetSum.best(blk.a.indices.map { blk.a[$0] * blk.b[$0] }, target: w)
        let kept = blk.a.indices.map { all.subset & (1 << UInt64($0)) != 0 }
        let literal = (0...200).map { k -> Double in let x = -1 + Double(k) / 100; return abs(w * x - blk.output(x, kept: kept)) }.max()!
        #expect(literal > 100 * all.error)
        let split = blk.prune(w)
        let splitLiteral = (0...200).map { k -> Double in let x = -1 + Double(k) / 100; return abs(w * x - blk.output(x, kept: split.kept)) }.max()!
        #expect(abs(splitLiteral - split.error) < 1e-12)
    }
}

extension SubsetSumKernelTests {
    @Test func fastBestSumAgreesWithMaskedMITM() {
        let random = RandomStream(seed: 19)
        for n in [0, 1, 3, 10, 17, 24] {
            let p = random.uniforms(n, -1, 1), w = random.uniform(-1, 1)
            #expect(abs(abs(w - SubsetSum.bestSum(p, target: w)) - SubsetSum.best(p, target: w).error) < 1e-12)
        }
    }
}

extension SubsetSumKernelTests {
    @Test func fastPruneErrorEqualsMaskedPrune() {
        let random = RandomStream(seed: 23)
        for n in [4, 16, 30] {
            let blk = ReLUBlock(a: random.uniforms(n, -1, 1), b: random.uniforms(n, -1, 1))
            let w = random.uniform(-1, 1)
            #expect(abs(blk.pruneError(w) - blk.prune(w).error) < 1e-12)
        }
    }
}
