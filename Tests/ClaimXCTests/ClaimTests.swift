// Generated from the claim registry by `XCTestSource.generate` — do not edit by hand.
// Regenerate: CLAIMCHECK_REGENERATE_XCTESTS=1 swift test --filter XCTestCoverageTests
import ClaimCheckTesting
import ClaimCore
import ClaimRegistry
import XCTest

/// The registered claim `id`; fails the test if it is gone. The first call computes every quick run of the
/// registry in parallel (XCTest runs these methods one at a time; each then reads its shared report).
private func claim(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> any Claim {
    QuickRuns.prewarm(Registry.claims)
    return try XCTUnwrap(Registry.claim(id: id), "claim \(id) is no longer registered: regenerate this file", file: file, line: line)
}

/// Permutation-based SGD: each claim holds at quick scale; each negative control is violated.
final class PermutationSgdClaimTests: XCTestCase {
    func test_rrVsReplacement() throws { XCTAssertClaimHolds(try claim("psgd.rr-vs-replacement")) }
    func test_rrVsReplacement__replacementClaimedAsReshuffling() throws {
        XCTAssertControlViolated(try claim("psgd.rr-vs-replacement"), control: "replacement-claimed-as-reshuffling")
    }
    func test_replacementRate() throws { XCTAssertClaimHolds(try claim("psgd.replacement-rate")) }
    func test_replacementRate__reshufflingClaimedAsReplacement() throws {
        XCTAssertControlViolated(try claim("psgd.replacement-rate"), control: "reshuffling-claimed-as-replacement")
    }
    func test_schemeComparison() throws { XCTAssertClaimHolds(try claim("psgd.scheme-comparison")) }
    func test_schemeComparison__rowsReshuffleEveryEpoch() throws {
        XCTAssertControlViolated(try claim("psgd.scheme-comparison"), control: "rows-reshuffle-every-epoch")
    }
    func test_flipflop() throws { XCTAssertClaimHolds(try claim("psgd.flipflop")) }
    func test_flipflop__noFlip() throws {
        XCTAssertControlViolated(try claim("psgd.flipflop"), control: "no-flip")
    }
    func test_rrRegimes() throws { XCTAssertClaimHolds(try claim("psgd.rr-regimes")) }
    func test_rrRegimes__replacementClaimedAsReshuffling() throws {
        XCTAssertControlViolated(try claim("psgd.rr-regimes"), control: "replacement-claimed-as-reshuffling")
    }
    func test_skewedLowerBound() throws { XCTAssertClaimHolds(try claim("psgd.skewed-lower-bound")) }
    func test_skewedLowerBound__equalCurvatures() throws {
        XCTAssertControlViolated(try claim("psgd.skewed-lower-bound"), control: "equal-curvatures")
    }
    func test_authorsProtocol() throws { XCTAssertClaimHolds(try claim("psgd.authors-protocol")) }
    func test_authorsProtocol__equalCurvatures() throws {
        XCTAssertControlViolated(try claim("psgd.authors-protocol"), control: "equal-curvatures")
    }
    func test_randomIsOptimal() throws { XCTAssertClaimHolds(try claim("psgd.random-is-optimal")) }
    func test_randomIsOptimal__symmetricCurvature() throws {
        XCTAssertControlViolated(try claim("psgd.random-is-optimal"), control: "symmetric-curvature")
    }
    func test_exponentialPermutations() throws { XCTAssertClaimHolds(try claim("psgd.exponential-permutations")) }
    func test_exponentialPermutations__randomOrders() throws {
        XCTAssertControlViolated(try claim("psgd.exponential-permutations"), control: "random-orders")
    }
    func test_exponentialPermutations__planIgnoresCurvature() throws {
        XCTAssertControlViolated(try claim("psgd.exponential-permutations"), control: "plan-ignores-curvature")
    }
}

/// Newton's method in context via linear attention: each claim holds at quick scale; each negative control is violated.
final class NewtonLinearAttentionClaimTests: XCTestCase {
    func test_lemma41OneStep() throws { XCTAssertClaimHolds(try claim("newton.lemma41-one-step")) }
    func test_lemma41OneStep__perturbedWeight() throws {
        XCTAssertControlViolated(try claim("newton.lemma41-one-step"), control: "perturbed-weight")
    }
    func test_lemma41OneStep__swappedKeyQuery() throws {
        XCTAssertControlViolated(try claim("newton.lemma41-one-step"), control: "swapped-key-query")
    }
    func test_lemma41OneStep__droppedIdentityHead() throws {
        XCTAssertControlViolated(try claim("newton.lemma41-one-step"), control: "dropped-identity-head")
    }
    func test_schulzStepsToAccuracy() throws { XCTAssertClaimHolds(try claim("newton.schulz-steps-to-accuracy")) }
    func test_schulzStepsToAccuracy__truncatedPolynomial() throws {
        XCTAssertControlViolated(try claim("newton.schulz-steps-to-accuracy"), control: "truncated-polynomial")
    }
    func test_schulzStepsToAccuracy__perturbedWeight() throws {
        XCTAssertControlViolated(try claim("newton.schulz-steps-to-accuracy"), control: "perturbed-weight")
    }
    func test_schulzStepsToAccuracy__order3ClaimedAsOrder2() throws {
        XCTAssertControlViolated(try claim("newton.schulz-steps-to-accuracy"), control: "order-3-claimed-as-order-2")
    }
    func test_leastSquaresInContext() throws { XCTAssertClaimHolds(try claim("newton.least-squares-in-context")) }
    func test_leastSquaresInContext__perturbedWeight() throws {
        XCTAssertControlViolated(try claim("newton.least-squares-in-context"), control: "perturbed-weight")
    }
    func test_logisticSelfConcordance() throws { XCTAssertClaimHolds(try claim("newton.logistic-self-concordance")) }
    func test_logisticSelfConcordance__undampedNewton() throws {
        XCTAssertControlViolated(try claim("newton.logistic-self-concordance"), control: "undamped-newton")
    }
    func test_logisticSelfConcordance__radiusThree() throws {
        XCTAssertControlViolated(try claim("newton.logistic-self-concordance"), control: "radius-three")
    }
    func test_inexactDampedNewton() throws { XCTAssertClaimHolds(try claim("newton.inexact-damped-newton")) }
    func test_inexactDampedNewton__gradientDescent() throws {
        XCTAssertControlViolated(try claim("newton.inexact-damped-newton"), control: "gradient-descent")
    }
    func test_reluNewtonEmulation() throws { XCTAssertClaimHolds(try claim("newton.relu-newton-emulation")) }
    func test_reluNewtonEmulation__tooFewKnots() throws {
        XCTAssertControlViolated(try claim("newton.relu-newton-emulation"), control: "too-few-knots")
    }
    func test_reluNewtonEmulation__oneInversionLayerShort() throws {
        XCTAssertControlViolated(try claim("newton.relu-newton-emulation"), control: "one-inversion-layer-short")
    }
    func test_reluNewtonEmulation__droppedHessianHead() throws {
        XCTAssertControlViolated(try claim("newton.relu-newton-emulation"), control: "dropped-hessian-head")
    }
}

/// Memorization capacity of deep threshold networks: each claim holds at quick scale; each negative control is violated.
final class ThresholdMemorizationClaimTests: XCTestCase {
    func test_memorization() throws { XCTAssertClaimHolds(try claim("threshold.memorization")) }
    func test_memorization__halfHyperplanes() throws {
        XCTAssertControlViolated(try claim("threshold.memorization"), control: "half-hyperplanes")
    }
    func test_memorization__dropGroupNeuron() throws {
        XCTAssertControlViolated(try claim("threshold.memorization"), control: "drop-group-neuron")
    }
    func test_memorization__dropHyperplane() throws {
        XCTAssertControlViolated(try claim("threshold.memorization"), control: "drop-hyperplane")
    }
    func test_hyperplaneSeparation() throws { XCTAssertClaimHolds(try claim("threshold.hyperplane-separation")) }
    func test_hyperplaneSeparation__halfOfFormula() throws {
        XCTAssertControlViolated(try claim("threshold.hyperplane-separation"), control: "half-of-formula")
    }
    func test_neuronCount() throws { XCTAssertClaimHolds(try claim("threshold.neuron-count")) }
    func test_neuronCount__pointSizedGroups() throws {
        XCTAssertControlViolated(try claim("threshold.neuron-count"), control: "point-sized-groups")
    }
    func test_weightCount() throws { XCTAssertClaimHolds(try claim("threshold.weight-count")) }
    func test_weightCount__liftFromHyperplanes() throws {
        XCTAssertControlViolated(try claim("threshold.weight-count"), control: "lift-from-hyperplanes")
    }
    func test_lowerBounds() throws { XCTAssertClaimHolds(try claim("threshold.lower-bounds")) }
    func test_lowerBounds__boundPlusOne() throws {
        XCTAssertControlViolated(try claim("threshold.lower-bounds"), control: "bound-plus-one")
    }
}

/// Adversarial training margins on separable data: each claim holds at quick scale; each negative control is violated.
final class AdversarialMarginsClaimTests: XCTestCase {
    func test_robustRiskRate() throws { XCTAssertClaimHolds(try claim("adv.robust-risk-rate")) }
    func test_robustRiskRate__wrongSignPerturbation() throws {
        XCTAssertControlViolated(try claim("adv.robust-risk-rate"), control: "wrong-sign-perturbation")
    }
    func test_robustRiskRate__epsilonAboveMaxMargin() throws {
        XCTAssertControlViolated(try claim("adv.robust-risk-rate"), control: "epsilon-above-max-margin")
    }
    func test_marginIterations() throws { XCTAssertClaimHolds(try claim("adv.margin-iterations")) }
    func test_marginIterations__wrongSignPerturbation() throws {
        XCTAssertControlViolated(try claim("adv.margin-iterations"), control: "wrong-sign-perturbation")
    }
    func test_ermRounds() throws { XCTAssertClaimHolds(try claim("adv.erm-rounds")) }
    func test_ermRounds__benignErm() throws {
        XCTAssertControlViolated(try claim("adv.erm-rounds"), control: "benign-erm")
    }
    func test_augmentationMargin() throws { XCTAssertClaimHolds(try claim("adv.augmentation-margin")) }
    func test_augmentationMargin__asymmetricNoise() throws {
        XCTAssertControlViolated(try claim("adv.augmentation-margin"), control: "asymmetric-noise")
    }
    func test_augmentationMargin__dPointsSuffice() throws {
        XCTAssertControlViolated(try claim("adv.augmentation-margin"), control: "d-points-suffice")
    }
    func test_transferableDirections() throws { XCTAssertClaimHolds(try claim("adv.transferable-directions")) }
    func test_transferableDirections__outsideCone() throws {
        XCTAssertControlViolated(try claim("adv.transferable-directions"), control: "outside-cone")
    }
}

/// Mini-batch optimization of contrastive loss: each claim holds at quick scale; each negative control is violated.
final class ContrastiveMinibatchClaimTests: XCTestCase {
    func test_fullBatchEtf() throws { XCTAssertClaimHolds(try claim("contrastive.full-batch-etf")) }
    func test_fullBatchEtf__belowEtfDimension() throws {
        XCTAssertControlViolated(try claim("contrastive.full-batch-etf"), control: "below-etf-dimension")
    }
    func test_lossesDiffer() throws { XCTAssertClaimHolds(try claim("contrastive.losses-differ")) }
    func test_lossesDiffer__batchSizeEqualsN() throws {
        XCTAssertControlViolated(try claim("contrastive.losses-differ"), control: "batch-size-equals-n")
    }
    func test_allBatchesEtf() throws { XCTAssertClaimHolds(try claim("contrastive.all-batches-etf")) }
    func test_allBatchesEtf__fixedPartitionInsteadOfAll() throws {
        XCTAssertControlViolated(try claim("contrastive.all-batches-etf"), control: "fixed-partition-instead-of-all")
    }
    func test_strictSubset() throws { XCTAssertClaimHolds(try claim("contrastive.strict-subset")) }
    func test_strictSubset__allPairsInsteadOfSubset() throws {
        XCTAssertControlViolated(try claim("contrastive.strict-subset"), control: "all-pairs-instead-of-subset")
    }
    func test_orderedSgd() throws { XCTAssertClaimHolds(try claim("contrastive.ordered-sgd")) }
    func test_orderedSgd__lowestLossBatch() throws {
        XCTAssertControlViolated(try claim("contrastive.ordered-sgd"), control: "lowest-loss-batch")
    }
    func test_spectralBatches() throws { XCTAssertClaimHolds(try claim("contrastive.spectral-batches")) }
    func test_spectralBatches__invertedAffinity() throws {
        XCTAssertControlViolated(try claim("contrastive.spectral-batches"), control: "inverted-affinity")
    }
}

/// Infinite-width limits: kernel regime vs feature learning: each claim holds at quick scale; each negative control is violated.
final class InfiniteWidthClaimTests: XCTestCase {
    func test_ntkAtInit() throws { XCTAssertClaimHolds(try claim("width.ntk-at-init")) }
    func test_ntkAtInit__withoutDerivativeTerm() throws {
        XCTAssertControlViolated(try claim("width.ntk-at-init"), control: "without-derivative-term")
    }
    func test_ntkAtInit__cs09Normalisation() throws {
        XCTAssertControlViolated(try claim("width.ntk-at-init"), control: "cs09-normalisation")
    }
    func test_ntkAtInit__varianceConstantTwo() throws {
        XCTAssertControlViolated(try claim("width.ntk-at-init"), control: "variance-constant-two")
    }
    func test_lazyTraining() throws { XCTAssertClaimHolds(try claim("width.lazy-training")) }
    func test_lazyTraining__mupIsLazy() throws {
        XCTAssertControlViolated(try claim("width.lazy-training"), control: "mup-is-lazy")
    }
    func test_lazyTraining__kernelDriftHalf() throws {
        XCTAssertControlViolated(try claim("width.lazy-training"), control: "kernel-drift-half")
    }
    func test_featureDichotomy() throws { XCTAssertClaimHolds(try claim("width.feature-dichotomy")) }
    func test_featureDichotomy__ntpLearnsFeatures() throws {
        XCTAssertControlViolated(try claim("width.feature-dichotomy"), control: "ntp-learns-features")
    }
    func test_featureDichotomy__mupKernelRegime() throws {
        XCTAssertControlViolated(try claim("width.feature-dichotomy"), control: "mup-kernel-regime")
    }
    func test_featureDichotomy__spDeepR() throws {
        XCTAssertControlViolated(try claim("width.feature-dichotomy"), control: "sp-deep-r")
    }
    func test_kernelRegression() throws { XCTAssertClaimHolds(try claim("width.kernel-regression")) }
    func test_kernelRegression__nngpPredictor() throws {
        XCTAssertControlViolated(try claim("width.kernel-regression"), control: "nngp-predictor")
    }
    func test_kernelRegression__withoutInitialOutput() throws {
        XCTAssertControlViolated(try claim("width.kernel-regression"), control: "without-initial-output")
    }
    func test_kernelRegression__mupIsKernelRegression() throws {
        XCTAssertControlViolated(try claim("width.kernel-regression"), control: "mup-is-kernel-regression")
    }
    func test_learningRateTransfer() throws { XCTAssertClaimHolds(try claim("width.learning-rate-transfer")) }
    func test_learningRateTransfer__spTransfers() throws {
        XCTAssertControlViolated(try claim("width.learning-rate-transfer"), control: "sp-transfers")
    }
    func test_learningRateTransfer__mupBadoutTransfers() throws {
        XCTAssertControlViolated(try claim("width.learning-rate-transfer"), control: "mup-badout-transfers")
    }
    func test_positiveDefiniteNtk() throws { XCTAssertClaimHolds(try claim("width.positive-definite-ntk")) }
    func test_positiveDefiniteNtk__polynomialActivation() throws {
        XCTAssertControlViolated(try claim("width.positive-definite-ntk"), control: "polynomial-activation")
    }
    func test_positiveDefiniteNtk__withoutBias() throws {
        XCTAssertControlViolated(try claim("width.positive-definite-ntk"), control: "without-bias")
    }
}

/// Strong lottery tickets via random SubsetSum: each claim holds at quick scale; each negative control is violated.
final class LotterySubsetsumClaimTests: XCTestCase {
    func test_luekerCoverage() throws { XCTAssertClaimHolds(try claim("lottery.lueker-coverage")) }
    func test_luekerCoverage__supportAwayFromZero() throws {
        XCTAssertControlViolated(try claim("lottery.lueker-coverage"), control: "support-away-from-zero")
    }
    func test_luekerCoverage__rademacher() throws {
        XCTAssertControlViolated(try claim("lottery.lueker-coverage"), control: "rademacher")
    }
    func test_luekerCoverage__bestSingleElement() throws {
        XCTAssertControlViolated(try claim("lottery.lueker-coverage"), control: "best-single-element")
    }
    func test_countingBound() throws { XCTAssertClaimHolds(try claim("lottery.counting-bound")) }
    func test_countingBound__powersOfTwoHalfStep() throws {
        XCTAssertControlViolated(try claim("lottery.counting-bound"), control: "powers-of-two-half-step")
    }
    func test_countingBound__beyondCountingRate() throws {
        XCTAssertControlViolated(try claim("lottery.counting-bound"), control: "beyond-counting-rate")
    }
    func test_reluWeight() throws { XCTAssertClaimHolds(try claim("lottery.relu-weight")) }
    func test_reluWeight__oneSignedHiddenWeights() throws {
        XCTAssertControlViolated(try claim("lottery.relu-weight"), control: "one-signed-hidden-weights")
    }
    func test_reluWeight__malachSinglePair() throws {
        XCTAssertControlViolated(try claim("lottery.relu-weight"), control: "malach-single-pair")
    }
    func test_networkWidth() throws { XCTAssertClaimHolds(try claim("lottery.network-width")) }
    func test_networkWidth__malachSingleProduct() throws {
        XCTAssertControlViolated(try claim("lottery.network-width"), control: "malach-single-product")
    }
    func test_networkWidth__fixedWidth16() throws {
        XCTAssertControlViolated(try claim("lottery.network-width"), control: "fixed-width-16")
    }
    func test_networkWidth__oneSignedFirstLayer() throws {
        XCTAssertControlViolated(try claim("lottery.network-width"), control: "one-signed-first-layer")
    }
    func test_optimality() throws { XCTAssertClaimHolds(try claim("lottery.optimality")) }
    func test_optimality__malachSingleProduct() throws {
        XCTAssertControlViolated(try claim("lottery.optimality"), control: "malach-single-product")
    }
    func test_optimality__fixedWidth16() throws {
        XCTAssertControlViolated(try claim("lottery.optimality"), control: "fixed-width-16")
    }
    func test_binaryNetworks() throws { XCTAssertClaimHolds(try claim("lottery.binary-networks")) }
    func test_binaryNetworks__width16() throws {
        XCTAssertControlViolated(try claim("lottery.binary-networks"), control: "width-16")
    }
    func test_binaryNetworks__noScale() throws {
        XCTAssertControlViolated(try claim("lottery.binary-networks"), control: "no-scale")
    }
    func test_authorsExperiment() throws { XCTAssertClaimHolds(try claim("lottery.authors-experiment")) }
    func test_authorsExperiment__scriptDefaultC() throws {
        XCTAssertControlViolated(try claim("lottery.authors-experiment"), control: "script-default-c")
    }
    func test_authorsExperiment__singleCoefficient() throws {
        XCTAssertControlViolated(try claim("lottery.authors-experiment"), control: "single-coefficient")
    }
}
