import Testing
import _TestSupport

@testable import Classification

@Suite struct SmoothingSelectionTests {
  @Test func macroF1MatchesScikitLearn() {
    // y_true = [0, 0, 1, 1, 2], y_pred = [0, 1, 1, 1, 0]:
    // f1_score(average="macro") = (0.5 + 0.8 + 0) / 3.
    var confusion = [Double](repeating: 0, count: 9)
    for (truth, predicted) in [(0, 0), (0, 1), (1, 1), (1, 1), (2, 0)] {
      confusion[truth * 3 + predicted] += 1
    }
    #expect(abs(SmoothingSelection.macroF1(confusion, classes: 3) - 1.3 / 3) < 1e-12)
  }

  @Test func removingAFoldEqualsCountingTheRest() {
    var generator = SeededGenerator(seed: 5)
    var total = MultinomialNaiveBayes(classCount: 3, featureCount: 50)
    var fold = total
    var rest = total
    for example in 0..<60 {
      let features = (0..<8).map { _ in UInt32(generator.next() % 50) }
      let label = example % 3
      features.withUnsafeBufferPointer {
        total.add(features: $0, label: label)
        if example % 4 == 0 {
          fold.add(features: $0, label: label)
        } else {
          rest.add(features: $0, label: label)
        }
      }
    }
    #expect(total.removing(fold) == rest)
  }

  /// The selection's held-out macro-F1 of every candidate equals training and scoring each fold
  /// from scratch.
  @Test func agreesWithRetrainingEachFold() {
    var generator = SeededGenerator(seed: 17)
    let classes = 3
    let featureCount = 40
    var examples = SmoothingSelection.Examples()
    var total = MultinomialNaiveBayes(classCount: classes, featureCount: featureCount)
    var vectors: [[UInt32]] = []
    for example in 0..<150 {
      let label = example % classes
      // Each label prefers its own third of the features, with noise.
      let features = (0..<6).map { _ in
        generator.next() % 3 == 0
          ? UInt32(generator.next() % UInt64(featureCount))
          : UInt32(label * 13 + Int(generator.next() % 13))
      }
      vectors.append(features)
      features.withUnsafeBufferPointer {
        total.add(features: $0, label: label)
        examples.append(indices: $0, values: nil, label: label, weight: 1)
      }
    }
    let candidates = [0.01, 0.5, 5, 50]
    let selection = SmoothingSelection.select(
      examples: examples, total: total, candidates: candidates, folds: 5
    ) { $0.linearModel(alpha: $1) }

    for (candidate, alpha) in candidates.enumerated() {
      var confusion = [Double](repeating: 0, count: classes * classes)
      for k in 0..<5 {
        // Stratified: the j-th example of each label is in fold j mod 5; here example i is the
        // (i / 3)-th of its label.
        var training = MultinomialNaiveBayes(classCount: classes, featureCount: featureCount)
        for (i, features) in vectors.enumerated() where (i / 3) % 5 != k {
          features.withUnsafeBufferPointer { training.add(features: $0, label: i % classes) }
        }
        let model = training.linearModel(alpha: alpha)
        for (i, features) in vectors.enumerated() where (i / 3) % 5 == k {
          var scores = [Double](repeating: 0, count: classes)
          features.withUnsafeBufferPointer { features in
            scores.withUnsafeMutableBufferPointer { model.scores(features: features, into: $0) }
          }
          let predicted =
            scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }
            ?? 0
          confusion[(i % classes) * classes + predicted] += 1
        }
      }
      let expected = SmoothingSelection.macroF1(confusion, classes: classes)
      #expect(abs(selection.macroF1[candidate] - expected) < 1e-9, "alpha \(alpha)")
    }
    let best = selection.macroF1.indices.max { selection.macroF1[$0] < selection.macroF1[$1] }
    #expect(selection.alpha == candidates[best ?? 0])
    #expect(selection.macroF1.contains { $0 > 0.6 })
  }
}
