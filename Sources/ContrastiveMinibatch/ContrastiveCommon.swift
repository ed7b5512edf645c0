import ClaimCore
import Foundation

/// One minimisation of a family objective from an independent random start (U and V drawn independently, uniform
/// on the sphere), with the quantities the argmin claims compare.
struct Minimiser: Sendable {
    let u: [Double]
    let v: [Double]
    let dimension: Int
    let loss: Double
    let gradientNorm: Double
    let iterations: Int

    static func run(_ family: BatchFamily, dimension d: Int, random: RandomStream, descent: SphereDescent = SphereDescent()) -> Minimiser {
        let n = family.sampleCount
        var u = Embeddings.random(points: n, dimension: d, random: random)
        var v = Embeddings.random(points: n, dimension: d, random: random)
        let outcome = descent.minimise(family, u: &u, v: &v, dimension: d)
        return Minimiser(u: u, v: v, dimension: d, loss: outcome.loss, gradientNorm: outcome.gradientNorm, iterations: outcome.iterations)
    }

    /// 𝓛_𝒮 of another family at this point.
    func loss(of family: BatchFamily) -> Double {
        InfoNCE(sampleCount: family.sampleCount, dimension: dimension).loss(family, u: u, v: v)
    }

    func crossGram() throws -> Matrix { try Embeddings.crossGram(u, v, dimension: dimension) }
    func gramU() throws -> Matrix { try Embeddings.crossGram(u, u, dimension: dimension) }
}

/// |measured − expected|/|expected|.
func relativeError(_ measured: Double, _ expected: Double) -> Double { abs(measured - expected) / abs(expected) }
