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

  @Test func bestShiftMovesTheBoundaryToTheBestMacroF1() {
    // Unshifted (second label where the log-odds are positive), the example at −1 is missed;
    // a shift of 1.5 (between −2 and −1) gets every example right.
    let odds = [0.5, -3, 2, -1, -2, 1]
    let labels = [1, 0, 1, 1, 0, 1]
    let unshifted: Double = (0.8 + 6.0 / 7.0) / 2
    let best = SmoothingSelection.bestShift(odds: odds, labels: labels, unshifted: unshifted)
    #expect(best.shift == 1.5)
    #expect(best.macroF1 == 1)
    for (value, label) in zip(odds, labels) { #expect((value + best.shift > 0) == (label == 1)) }
  }

  @Test func bestShiftKeepsNoShiftUnlessItIsBeaten() {
    // Already perfect: no shift, although the boundary could sit anywhere in (−1, 1).
    let perfect = SmoothingSelection.bestShift(
      odds: [-1, 1, -2, 3], labels: [0, 1, 0, 1], unshifted: 1)
    #expect(perfect.shift == 0 && perfect.macroF1 == 1)
    // Equal log-odds cannot be split; non-finite ones are not shifted at all.
    let tied = SmoothingSelection.bestShift(odds: [0, 0, 0], labels: [0, 1, 0], unshifted: 0.4)
    #expect(tied.shift == 0 && tied.macroF1 == 0.4)
    let infinite = SmoothingSelection.bestShift(
      odds: [-.infinity, 1], labels: [1, 0], unshifted: 0)
    #expect(infinite.shift == 0 && infinite.macroF1 == 0)
  }

  /// With two labels of very different sizes, the shift chosen with each candidate gives the
  /// model the pooled held-out macro-F1 the selection reports, when the fold models are scored
  /// with it; and it is at least the unshifted macro-F1.
  @Test func theChosenShiftReproducesItsHeldOutMacroF1() throws {
    var generator = SeededGenerator(seed: 29)
    let featureCount = 30
    var examples = SmoothingSelection.Examples()
    var total = MultinomialNaiveBayes(classCount: 2, featureCount: featureCount)
    var vectors: [[UInt32]] = []
    var labels: [Int] = []
    for example in 0..<200 {
      // One example in five is of the second label; the labels overlap in half their features.
      let label = example % 5 == 0 ? 1 : 0
      let features = (0..<5).map { _ in
        UInt32(label * 10 + Int(generator.next() % 20))
      }
      vectors.append(features)
      labels.append(label)
      features.withUnsafeBufferPointer {
        total.add(features: $0, label: label)
        examples.append(indices: $0, values: nil, label: label, weight: 1)
      }
    }
    let candidates = [0.1, 1, 10]
    let selection = SmoothingSelection.select(
      examples: examples, total: total, candidates: candidates, folds: 5, shiftingPrior: true
    ) { $0.linearModel(alpha: $1) }
    let shift = try #require(selection.priorShift)
    let shifted = try #require(selection.shiftedMacroF1)
    let chosen = try #require(candidates.firstIndex(of: selection.alpha))
    #expect(shifted.max() == shifted[chosen])
    #expect(zip(shifted, selection.macroF1).allSatisfy { $0 >= $1 })
    // Score every fold's model, trained from scratch, with the chosen α and shift.
    var seen = [0, 0]
    var fold = [Int](repeating: 0, count: labels.count)
    for (i, label) in labels.enumerated() {
      fold[i] = seen[label] % 5
      seen[label] += 1
    }
    var confusion = [Double](repeating: 0, count: 4)
    for k in 0..<5 {
      var training = MultinomialNaiveBayes(classCount: 2, featureCount: featureCount)
      for (i, features) in vectors.enumerated() where fold[i] != k {
        features.withUnsafeBufferPointer { training.add(features: $0, label: labels[i]) }
      }
      let model = training.linearModel(alpha: selection.alpha, priorShift: shift)
      for (i, features) in vectors.enumerated() where fold[i] == k {
        var scores = [0.0, 0.0]
        features.withUnsafeBufferPointer { features in
          scores.withUnsafeMutableBufferPointer { model.scores(features: features, into: $0) }
        }
        confusion[labels[i] * 2 + (scores[1] > scores[0] ? 1 : 0)] += 1
      }
    }
    #expect(abs(SmoothingSelection.macroF1(confusion, classes: 2) - shifted[chosen]) < 1e-9)
    // Without the option, or with more than two labels, nothing is shifted.
    let plain = SmoothingSelection.select(
      examples: examples, total: total, candidates: candidates, folds: 5
    ) { $0.linearModel(alpha: $1) }
    #expect(plain.priorShift == nil && plain.shiftedMacroF1 == nil)
    #expect(plain.macroF1 == selection.macroF1)
  }
}
