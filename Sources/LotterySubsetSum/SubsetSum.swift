import ClaimCore
import Foundation

extension Family {
    /// Strong lottery tickets via random SubsetSum (Pensia et al. 2020, Lueker 1998) and random binary networks
    /// (Sreenivasan et al. 2022).
    public static let lotterySubsetSum = Family(folder: "lottery-subsetsum", prefix: "lottery",
                                                title: "Strong lottery tickets via random SubsetSum")
}

extension Citation {
    /// [PRNVP20] Pensia, Rajput, Nagle, Vishwakarma, Papailiopoulos, NeurIPS 2020.
    static let pensia = Citation(
        title: "Optimal Lottery Tickets via SubsetSum: Logarithmic Over-Parameterization is Sufficient",
        authors: "Ankit Pensia, Shashank Rajput, Alliot Nagle, Harit Vishwakarma, Dimitris Papailiopoulos",
        venue: "NeurIPS 2020 (Advances in NeurIPS 33, 2599–2610)", arXiv: "2006.07990")
    /// [Lue98] Lueker, Random Structures & Algorithms 1998 (as used by [PRNVP20]).
    static let lueker = Citation(
        title: "Exponentially small bounds on the expected optimum of the partition and subset sum problems",
        authors: "George S. Lueker", venue: "Random Structures & Algorithms 12 (1998), 51–62")
    /// [SRSP22] Sreenivasan, Rajput, Sohn, Papailiopoulos, AISTATS 2022.
    static let binaryNetworks = Citation(
        title: "Finding Nearly Everything within Random Binary Networks",
        authors: "Kartik Sreenivasan, Shashank Rajput, Jy-yong Sohn, Dimitris Papailiopoulos",
        venue: "AISTATS 2022 (PMLR 151, 3531–3541)", arXiv: "2110.08996")
}

/// Exact random-SubsetSum kernels (spec §1): ENUM (all 2ⁿ subset sums, sorted), SUP (worst-case error over an
/// interval of targets from the sorted sums) and MITM (exact best subset for one target).
public enum SubsetSum {
    /// All 2ⁿ subset sums of `x` in ascending order (∅ gives 0), by the Horowitz–Sahni list merge
    /// s ← merge(s, s + xᵢ): each step merges two sorted lists, so the whole enumeration costs O(2ⁿ), not O(n·2ⁿ log).
    /// Memory: two buffers of 2ⁿ doubles.
    public static func sortedSums(_ x: [Double]) -> [Double] {
        precondition(x.count <= 30, "ENUM of \(x.count) numbers needs 2^\(x.count) doubles")
        let total = 1 << x.count
        // Merges alternate between the result and a scratch buffer; the parity of n says which one ends with the sums.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: total)
        defer { scratch.deallocate() }
        return [Double](unsafeUninitializedCapacity: total) { result, count in
            var s = x.count % 2 == 0 ? result.baseAddress! : scratch
            var t = s == scratch ? result.baseAddress! : scratch
            s[0] = 0
            var length = 1
            for v in x {
                mergeShifted(s, length, v, into: t)
                swap(&s, &t)
                length *= 2
            }
            count = total
        }
    }

    /// Writes merge(s[0..<m], s[0..<m] + v) (both ascending) into `out` (2m slots).
    @inline(__always)
    static func mergeShifted(_ s: UnsafeMutablePointer<Double>, _ m: Int, _ v: Double, into out: UnsafeMutablePointer<Double>) {
        var i = 0, j = 0, k = 0
        while i < m && j < m {
            let a = s[i], b = s[j] + v
            if a <= b { out[k] = a; i += 1 } else { out[k] = b; j += 1 }
            k += 1
        }
        while i < m { out[k] = s[i]; i += 1; k += 1 }
        while j < m { out[k] = s[j] + v; j += 1; k += 1 }
    }

    /// All subset sums of `x` (≤ 32 numbers) in ascending order with the subset of each as a bit mask.
    public static func sortedSumsWithMasks(_ x: [Double]) -> (sums: [Double], masks: [UInt32]) {
        precondition(x.count <= 26)
        var sums: [Double] = [0], masks: [UInt32] = [0]
        sums.reserveCapacity(1 << x.count); masks.reserveCapacity(1 << x.count)
        for (bit, v) in x.enumerated() {
            let m = sums.count
            var newSums = [Double](), newMasks = [UInt32]()
            newSums.reserveCapacity(2 * m); newMasks.reserveCapacity(2 * m)
            var i = 0, j = 0
            while i < m || j < m {
                if j == m || (i < m && sums[i] <= sums[j] + v) {
                    newSums.append(sums[i]); newMasks.append(masks[i]); i += 1
                } else {
                    newSums.append(sums[j] + v); newMasks.append(masks[j] | (1 << UInt32(bit))); j += 1
                }
            }
            sums = newSums; masks = newMasks
        }
        return (sums, masks)
    }

    /// Distance from z to the nearest element of the ascending, non-empty `s`.
    public static func distance(_ s: [Double], _ z: Double) -> Double {
        s.withUnsafeBufferPointer { distance($0, z) }
    }

    static func distance(_ s: UnsafeBufferPointer<Double>, _ z: Double) -> Double {
        var lo = 0, hi = s.count   // first index with s[i] ≥ z
        while lo < hi { let mid = (lo + hi) / 2; if s[mid] < z { lo = mid + 1 } else { hi = mid } }
        var best = Double.infinity
        if lo < s.count { best = s[lo] - z }
        if lo > 0 { best = min(best, z - s[lo - 1]) }
        return best
    }

    /// SUP: sup over z ∈ [a, b] of the distance from z to the ascending points `s`. The distance is piecewise linear
    /// with maxima at the endpoints and at midpoints of consecutive points, so it is the largest of dist(a), dist(b)
    /// and half of every gap whose midpoint lies in [a, b]. Exact up to the rounding of the sums.
    public static func supError(_ s: [Double], over a: Double, _ b: Double) -> Double {
        s.withUnsafeBufferPointer { supError($0, over: a, b) }
    }

    static func supError(_ p: UnsafeBufferPointer<Double>, over a: Double, _ b: Double) -> Double {
        var worst = max(distance(p, a), distance(p, b))
        guard p.count > 1 else { return worst }
        for k in 0..<(p.count - 1) {
            let lo = p[k], hi = p[k + 1]
            let mid = (lo + hi) / 2
            if mid >= a && mid <= b && (hi - lo) / 2 > worst { worst = (hi - lo) / 2 }
        }
        return worst
    }

    /// ε_I of every prefix x[..<n], n ∈ `sizes` (ascending), from one enumeration: the sorted sums of a prefix are an
    /// intermediate state of the list merge, so nested instances cost one ENUM of the longest prefix.
    public static func prefixWorstCaseErrors(_ x: [Double], sizes: [Int], over a: Double, _ b: Double) -> [Double] {
        let top = sizes.last!
        precondition(top <= min(x.count, 30))
        var s = UnsafeMutablePointer<Double>.allocate(capacity: 1 << top), t = UnsafeMutablePointer<Double>.allocate(capacity: 1 << top)
        defer { s.deallocate(); t.deallocate() }
        s[0] = 0
        var length = 1, out: [Double] = []
        for k in 0..<top {
            mergeShifted(s, length, x[k], into: t)
            swap(&s, &t)
            length *= 2
            if sizes.contains(k + 1) { out.append(supError(UnsafeBufferPointer(start: s, count: length), over: a, b)) }
        }
        return out
    }

    /// Per-target errors of every prefix of `x` for a list of targets, from one enumeration (the draw of
    /// the authors' Experiment 1: one coefficient vector serves a whole row of target weights).
    ///
    /// errors[k][t] = min over S ⊆ {0,…,k−1} of |z_t − Σ_S xᵢ| for k = 0…n (k = 0: only ∅, error |z_t|), exact up to
    /// the rounding of the sums. At k = n, `subsetSizes[t]` = |S| of the minimiser (on a tie, the lower sum) and
    /// `residuals[t]` = z_t − Σ_S xᵢ, signed. The list
    /// merge carries each sum's subset as a bit mask; each prefix is searched by bisection per target.
    /// Memory: two buffers of 2ⁿ (double + 32-bit mask).
    public static func prefixErrors(_ x: [Double], targets z: [Double]) -> (errors: [[Double]], subsetSizes: [Int], residuals: [Double]) {
        let result = prefixErrors(x, targets: z, worstCaseOver: nil)
        return (result.errors, result.subsetSizes, result.residuals)
    }

    /// `prefixErrors(_:targets:)`, and also ε_I of the whole `x` for I = `interval` (SUP on the final sums, as
    /// `worstCaseError`): the worst target in the interval, not only the listed ones. nil without an interval.
    public static func prefixErrors(_ x: [Double], targets z: [Double], worstCaseOver interval: ClosedRange<Double>?)
        -> (errors: [[Double]], subsetSizes: [Int], residuals: [Double], worstCase: Double?) {
        precondition(x.count <= 30, "ENUM of \(x.count) numbers needs 2^\(x.count) sums")
        let total = 1 << x.count
        var s = UnsafeMutablePointer<Double>.allocate(capacity: total), t = UnsafeMutablePointer<Double>.allocate(capacity: total)
        var ms = UnsafeMutablePointer<UInt32>.allocate(capacity: total), mt = UnsafeMutablePointer<UInt32>.allocate(capacity: total)
        defer { s.deallocate(); t.deallocate(); ms.deallocate(); mt.deallocate() }
        s[0] = 0
        ms[0] = 0
        var length = 1
        var errors: [[Double]] = []
        errors.reserveCapacity(x.count + 1)
        var nearest = [Int](repeating: 0, count: z.count)
        for k in 0...x.count {
            if k > 0 {
                mergeShifted(s, ms, length, x[k - 1], bit: UInt32(1) << UInt32(k - 1), into: t, mt)
                swap(&s, &t)
                swap(&ms, &mt)
                length *= 2
            }
            let sums = UnsafeBufferPointer(start: s, count: length)
            errors.append(z.indices.map { i in
                nearest[i] = nearestIndex(sums, z[i])
                return abs(sums[nearest[i]] - z[i])
            })
        }
        let worstCase = interval.map { supError(UnsafeBufferPointer(start: s, count: length), over: $0.lowerBound, $0.upperBound) }
        return (errors, nearest.map { ms[$0].nonzeroBitCount }, z.indices.map { z[$0] - s[nearest[$0]] }, worstCase)
    }

    /// `mergeShifted` carrying each sum's subset mask: the shifted copy gains `bit`.
    @inline(__always)
    static func mergeShifted(_ s: UnsafeMutablePointer<Double>, _ ms: UnsafeMutablePointer<UInt32>, _ m: Int, _ v: Double, bit: UInt32,
                             into out: UnsafeMutablePointer<Double>, _ mout: UnsafeMutablePointer<UInt32>) {
        var i = 0, j = 0, k = 0
        while i < m && j < m {
            let a = s[i], b = s[j] + v
            if a <= b { out[k] = a; mout[k] = ms[i]; i += 1 } else { out[k] = b; mout[k] = ms[j] | bit; j += 1 }
            k += 1
        }
        while i < m { out[k] = s[i]; mout[k] = ms[i]; i += 1; k += 1 }
        while j < m { out[k] = s[j] + v; mout[k] = ms[j] | bit; j += 1; k += 1 }
    }

    /// Index of the element of the ascending, non-empty `s` nearest to z (the lower one on a tie).
    static func nearestIndex(_ s: UnsafeBufferPointer<Double>, _ z: Double) -> Int {
        var lo = 0, hi = s.count   // first index with s[i] ≥ z
        while lo < hi { let mid = (lo + hi) / 2; if s[mid] < z { lo = mid + 1 } else { hi = mid } }
        if lo == s.count { return lo - 1 }
        if lo == 0 { return 0 }
        return z - s[lo - 1] <= s[lo] - z ? lo - 1 : lo
    }

    /// ε_I(x) = sup_{z∈[a,b]} min_S |z − Σ_S xᵢ|, exactly (ENUM + SUP).
    public static func worstCaseError(_ x: [Double], over a: Double, _ b: Double) -> Double {
        supError(sortedSums(x), over: a, b)
    }

    /// Exact coverage decision by meet in the middle, for sets too large to enumerate: is every z ∈ [a, b] within `t`
    /// of a subset sum of `x`? The sums are A ⊕ B with A, B the sorted sums of two parts; B's t-neighbourhood
    /// ∪ⱼ[bⱼ − t, bⱼ + t] is a union of few intervals once t exceeds B's typical gap, and the neighbourhood of A ⊕ B is
    /// the union of its shifts by every aᵢ, swept in order. Exact up to the rounding of the sums (as ENUM + SUP).
    /// Returns nil when a part would exceed 22 numbers (x.count > 44) or the shifted pieces would exceed `limit`
    /// intervals (t far below B's gaps): undecided.
    public static func covers(_ x: [Double], over a: Double, _ b: Double, within t: Double, limit: Int = 1 << 22) -> Bool? {
        let bCount = min(max(x.count - x.count / 2, min(x.count, 20)), 22)
        guard x.count - bCount <= 22 else { return nil }
        let bSums = sortedSums(Array(x[..<bCount])), aSums = sortedSums(Array(x[bCount...]))
        var pieces: [(lo: Double, hi: Double)] = []
        for s in bSums {
            if let last = pieces.last, s - t <= last.hi { pieces[pieces.count - 1].hi = s + t } else { pieces.append((s - t, s + t)) }
        }
        guard pieces.count.multipliedReportingOverflow(by: aSums.count).partialValue <= limit else { return nil }
        var shifted: [(lo: Double, hi: Double)] = []
        shifted.reserveCapacity(pieces.count * aSums.count)
        for s in aSums { for p in pieces where s + p.hi >= a && s + p.lo <= b { shifted.append((s + p.lo, s + p.hi)) } }
        shifted.sort { $0.lo < $1.lo }
        var reach = a
        for piece in shifted {
            if piece.lo > reach { return false }
            reach = max(reach, piece.hi)
            if reach >= b { return true }
        }
        return reach >= b
    }

    /// MITM without the subset: the achieved sum Σ_S pᵢ closest to w (exact), from the fast sorted enumerations of
    /// both halves and a two-pointer walk. O(2^{n/2}).
    public static func bestSum(_ p: [Double], target w: Double) -> Double {
        let h = p.count / 2
        let a = sortedSums(Array(p[..<h])), b = sortedSums(Array(p[h...]))
        var bestError = Double.infinity, bestSum = 0.0
        var j = b.count - 1
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    let t = w - a[i]
                    while j > 0 && b[j - 1] >= t { j -= 1 }
                    let e1 = abs(t - b[j])
                    if e1 < bestError { bestError = e1; bestSum = a[i] + b[j] }
                    if j > 0 {
                        let e0 = abs(t - b[j - 1])
                        if e0 < bestError { bestError = e0; bestSum = a[i] + b[j - 1] }
                    }
                }
            }
        }
        return bestSum
    }

    /// MITM: min over S of |w − Σ_S pᵢ| exactly, with the achieved sum and the subset (bit i ⇔ pᵢ ∈ S).
    /// Both halves are enumerated sorted; a two-pointer walk pairs each first-half sum with its best partner.
    public static func best(_ p: [Double], target w: Double) -> (error: Double, sum: Double, subset: UInt64) {
        let h = p.count / 2
        let (a, ma) = sortedSumsWithMasks(Array(p[..<h]))
        let (b, mb) = sortedSumsWithMasks(Array(p[h...]))
        var bestError = Double.infinity, bestSum = 0.0, bestMask: UInt64 = 0
        var j = b.count - 1
        for i in 0..<a.count {
            let t = w - a[i]                       // decreasing in i, so j only moves down
            while j > 0 && b[j - 1] >= t { j -= 1 }
            for k in max(j - 1, 0)...j {
                let e = abs(t - b[k])
                if e < bestError { bestError = e; bestSum = a[i] + b[k]; bestMask = UInt64(ma[i]) | (UInt64(mb[k]) << UInt64(h)) }
            }
        }
        return (bestError, bestSum, bestMask)
    }
}

/// Statistics shared by the family's rate checks (spec §10).
enum LotteryStatistics {
    /// Location statistic of one sweep point: the mean, or the median (robust to a heavy upper tail and to right-
    /// censored values, which only need to be larger than every measured one).
    enum Location { case mean, median }

    /// OLS slope of yᵢ = f(location of samples[i]) on x, with a 95% percentile-bootstrap CI.
    /// `paired`: samples[i][s] for all i come from the same instance s, so whole instances are resampled;
    /// otherwise each sweep point is resampled on its own. Resampling indices come from `random.index(below:)`.
    static func slope(x: [Double], samples: [[Double]], paired: Bool, transform: (Double) -> Double = { $0 }, location: Location = .mean,
                      resamples: Int, random: RandomStream) throws -> (slope: Double, interval: Interval, fit: LineFit) {
        func locate(_ v: [Double]) -> Double { location == .mean ? v.reduce(0, +) / Double(v.count) : median(v) }
        let fit = try LineFit(x: x, y: samples.map { transform(locate($0)) })
        var slopes: [Double] = []
        slopes.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var y = [Double](repeating: 0, count: x.count)
            if paired {
                let m = samples[0].count
                let picks = (0..<m).map { _ in random.index(below: m) }
                for i in x.indices { y[i] = transform(locate(picks.map { samples[i][$0] })) }
            } else {
                for i in x.indices {
                    let m = samples[i].count
                    y[i] = transform(locate((0..<m).map { _ in samples[i][random.index(below: m)] }))
                }
            }
            slopes.append(try LineFit(x: x, y: y).slope)
        }
        slopes.sort()
        let lo = slopes[Int((0.025 * Double(resamples - 1)).rounded())], hi = slopes[Int((0.975 * Double(resamples - 1)).rounded())]
        return (fit.slope, Interval(lo, hi), fit)
    }

    /// Median over instances of each instance's own OLS slope of samples[·][s] on x (every point measured on the same
    /// instance s), with a 95% percentile-bootstrap CI over instances: a robust typical rate that keeps the pairing.
    static func medianSlope(x: [Double], samples: [[Double]], resamples: Int, random: RandomStream) throws -> (slope: Double, interval: Interval) {
        let m = samples[0].count
        let slopes = try (0..<m).map { s in try LineFit(x: x, y: samples.map { $0[s] }).slope }
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        for _ in 0..<resamples { medians.append(median((0..<m).map { _ in slopes[random.index(below: m)] })) }
        medians.sort()
        return (median(slopes), Interval(medians[Int((0.025 * Double(resamples - 1)).rounded())], medians[Int((0.975 * Double(resamples - 1)).rounded())]))
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
