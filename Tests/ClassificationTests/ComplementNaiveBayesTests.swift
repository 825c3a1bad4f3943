import Foundation
import Testing
import _TestSupport

@testable import Classification

/// Complement naive Bayes against scikit-learn's `ComplementNB`, with values computed
/// beforehand by scikit-learn 1.9: X = [[2, 1, 0], [0, 1, 2], [1, 0, 1]], y = [0, 1, 1],
/// alpha = 1, predicting x = [1, 1, 0].
@Suite struct ComplementNaiveBayesTests {
  static func counts() -> MultinomialNaiveBayes {
    var counts = MultinomialNaiveBayes(classCount: 2, featureCount: 3)
    for (features, label) in [([0, 0, 1], 0), ([1, 2, 2], 1), ([0, 2], 1)] as [([UInt32], Int)] {
      features.withUnsafeBufferPointer { counts.add(features: $0, label: label) }
    }
    return counts
  }

  func probability(_ model: LinearModel) -> Double {
    var scores = [Double](repeating: 0, count: 2)
    [0, 1].withUnsafeBufferPointer { features in
      scores.withUnsafeMutableBufferPointer { model.scores(features: features, into: $0) }
    }
    return 1 / (1 + exp(scores[1] - scores[0]))
  }

  @Test(arguments: [
    (
      false,
      [
        1.3862943611198906, 0.6931471805599453, 1.3862943611198906, 1.0986122886681098,
        0.6931471805599453, 1.791759469228055,
      ], 0.7272727272727274
    ),
    (true, [0.4, 0.1934264036172708, 0.4, 0.30657359638272924, 0.2, 0.5], 0.5744425168116589),
  ])
  func matchesScikitLearn(normalize: Bool, featureLogProb: [Double], probability expected: Double) {
    let model = Self.counts().complementLinearModel(alpha: 1, normalize: normalize)
    // Crible is feature-major: [f0c0, f0c1, f1c0, ...]; the expectations above are too.
    for i in 0..<6 { #expect(abs(Double(model.weights[i]) - featureLogProb[i]) < 1e-6) }
    #expect(abs(probability(model) - expected) < 1e-6)
  }

  /// With two classes the prior shift is the second class's score bias; with more, nothing.
  @Test func priorShiftBiasesTheSecondClass() {
    let counts = Self.counts()
    let plain = counts.complementLinearModel(alpha: 1, normalize: false)
    let shifted = counts.complementLinearModel(alpha: 1, normalize: false, priorShift: -0.75)
    #expect(plain.bias == [0, 0] && shifted.bias == [0, -0.75])
    #expect(shifted.weights == plain.weights)
    var three = MultinomialNaiveBayes(classCount: 3, featureCount: 3)
    [0, 1].withUnsafeBufferPointer { three.add(features: $0, label: 2) }
    #expect(
      three.complementLinearModel(alpha: 1, normalize: false, priorShift: 2).bias == [0, 0, 0])
  }

  /// With two labels, cross-validation chooses a shift with α, as for naive Bayes; the model
  /// scores with it and keeps it in its file, and a file written before the shift existed
  /// loads with none.
  @Test func choosesKeepsAndLoadsAPriorShift() throws {
    // One message in five is "rare"; the two labels share half their words.
    var generator = SeededGenerator(seed: 11)
    var texts: [String] = []
    var labels: [String] = []
    for example in 0..<150 {
      let rare = example % 5 == 0
      texts.append(
        (0..<6).map { _ in "w\((rare ? 10 : 0) + Int(generator.next() % 20))" }.joined(
          separator: " "))
      labels.append(rare ? "rare" : "usual")
    }
    var options = TrainingOptions(algorithm: .complementNaiveBayes)
    options.pipeline.features.subwordNGrams = nil
    options.smoothingCandidates = SmoothingSelection.defaultCandidates
    let classifier = try Trainer.train(
      [LabeledCorpus(texts: texts, labels: labels)], options: options)
    let selection = try #require(classifier.provenance?.smoothingSelection)
    let shift = try #require(selection.priorShift)
    #expect(shift != 0)
    guard case .complementNaiveBayes(_, let configuration) = classifier.estimator else {
      Issue.record("not complement naive Bayes")
      return
    }
    #expect(configuration.alpha == selection.alpha && configuration.priorShift == shift)
    #expect(classifier.linearModel.bias == [0, shift])
    #expect(classifier.estimator.hyperparameters["prior_shift"] == shift)
    let bytes = ModelFile.encode(classifier)
    let loaded = try ModelFile.decode(bytes, source: "m.crible")
    #expect(loaded.estimator == classifier.estimator)
    // An older file: the same header without the key (blanked, so the layout stays put).
    let older = try ModelFile.decode(
      ModelFileSurgery.blanking("prior_shift", under: "hyperparameters", in: bytes),
      source: "old.crible")
    guard case .complementNaiveBayes(_, let olderConfiguration) = older.estimator else {
      Issue.record("not complement naive Bayes")
      return
    }
    #expect(olderConfiguration.priorShift == 0 && olderConfiguration.alpha == selection.alpha)
  }

  @Test func trainsSavesAndLoads() throws {
    let classifier = try Trainer.train(
      [try Fixtures.corpus()], options: TrainingOptions(algorithm: .complementNaiveBayes))
    #expect(classifier.estimator.algorithmName == "complement-naive-bayes")
    #expect(classifier.weighting == TrainingOptions.defaultWeighting(for: .complementNaiveBayes))
    let loaded = try ModelFile.decode(ModelFile.encode(classifier), source: "m.crible")
    #expect(loaded.estimator == classifier.estimator)
    for text in Fixtures.examples.map(\.1) {
      #expect(loaded.predict(text) == classifier.predict(text))
    }
    #expect(classifier.predict("你这个垃圾蠢货").label == "offensive")
  }
}
