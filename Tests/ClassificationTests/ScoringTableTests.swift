import CribleSupport
import Testing
import _TestSupport

@testable import Classification

/// The labelling table scores exactly what the general path (vocabulary, weighting, weights)
/// scores.
@Suite struct ScoringTableTests {
  struct Case {
    var classes: Int
    var weighting: FeatureWeighting
    /// Whether the scores go through a softmax (a two-class table then stores differences).
    var softmax = true
  }

  static let cases: [Case] = [
    Case(classes: 2, weighting: FeatureWeighting()),
    Case(classes: 3, weighting: FeatureWeighting()),
    Case(
      classes: 2,
      weighting: FeatureWeighting(
        termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true)),
    Case(
      classes: 5,
      weighting: FeatureWeighting(
        termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true)),
    Case(classes: 2, weighting: FeatureWeighting(termFrequency: .binary, l2Normalize: true)),
    Case(classes: 3, weighting: FeatureWeighting(termFrequency: .counts, l2Normalize: true)),
    Case(
      classes: 2,
      weighting: FeatureWeighting(termFrequency: .counts, inverseDocumentFrequency: true)),
    Case(classes: 2, weighting: FeatureWeighting(), softmax: false),
    Case(classes: 3, weighting: FeatureWeighting(l1Normalize: true)),
    Case(
      classes: 2, weighting: FeatureWeighting(termFrequency: .sublinear, l1Normalize: true)),
    Case(
      classes: 2,
      weighting: FeatureWeighting(
        termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true),
      softmax: false),
  ]

  /// The table's rank counts bits with `crible_popcount` (one POPCNT instruction where the
  /// processor has it), which must count as Swift's `nonzeroBitCount` does.
  @Test func populationCountAgreesWithSwift() {
    var words: [UInt64] = [0, ~0, 1, 1 << 63, 0x5555_5555_5555_5555, 0xFFFF_0000_FFFF_0000]
    words += (0..<64).map { 1 << UInt64($0) }
    var generator = SeededGenerator(seed: 5)
    for _ in 0..<10_000 {
      let word = generator.next()
      // Masked below a random bit, as the rank is.
      words.append(word & ((1 << (generator.next() % 64)) &- 1))
      words.append(word)
    }
    for word in words {
      #expect(Int(crible_popcount(word)) == word.nonzeroBitCount, "\(String(word, radix: 16))")
    }
  }

  @Test(arguments: cases.indices)
  func agreesWithTheGeneralPath(caseIndex: Int) {
    let testCase = Self.cases[caseIndex]
    var generator = SeededGenerator(seed: UInt64(caseIndex) + 11)
    // Not a multiple of 256, so that the last directory word covers a partial block.
    let bucketCount = (1 << 12) + 64
    // Keep about a third of the buckets, including the first and the last.
    var kept: [UInt32] = [0, UInt32(bucketCount - 1)]
    for bucket in 1..<(bucketCount - 1) where generator.next() % 3 == 0 {
      kept.append(UInt32(bucket))
    }
    let vocabulary = Vocabulary(buckets: kept)
    let weights = (0..<(vocabulary.count * testCase.classes)).map { _ in
      Float(Int(generator.next() % 2001) - 1000) / 250
    }
    let bias = (0..<testCase.classes).map { Double($0) / 3 - 0.5 }
    let model = LinearModel(classCount: testCase.classes, weights: weights, bias: bias)
    let idf = (0..<vocabulary.count).map { _ in 1 + Float(generator.next() % 1000) / 200 }
    let space = FeatureSpace(
      vocabulary: vocabulary, weighting: testCase.weighting,
      inverseDocumentFrequencies: testCase.weighting.inverseDocumentFrequency ? idf : nil)
    let table = ScoringTable(
      vocabulary: vocabulary, model: model, bucketCount: bucketCount,
      idf: space.inverseDocumentFrequencies, softmax: testCase.softmax)
    #expect(table.scoresDifference == (testCase.softmax && testCase.classes == 2))
    var scratch = DistinctScratch()
    var weighted = WeightedFeatures()
    for length in [0, 1, 2, 7, 40, 300, 3] {
      // Messages with repeats and with buckets outside the vocabulary.
      let features = (0..<length).map { _ in
        generator.next() % 4 == 0
          ? UInt32(generator.next() % 8) : UInt32(generator.next() % UInt64(bucketCount))
      }
      var expected = [Double](repeating: 0, count: testCase.classes)
      var actual = expected
      // The general path.
      let mapped = features.compactMap { vocabulary.index(of: $0) }
      mapped.withUnsafeBufferPointer {
        weighted.assign($0, weighting: testCase.weighting, idf: space.inverseDocumentFrequencies)
      }
      // The size of the terms summed, which bounds the rounding of the weights' differences.
      var magnitude: Double = 0
      weighted.withVector { indices, values in
        expected.withUnsafeMutableBufferPointer {
          model.scores(indices: indices, values: values, into: $0)
        }
        for (index, value) in zip(indices, values) {
          for c in 0..<testCase.classes {
            magnitude += Double(abs(value * model.weights[Int(index) * testCase.classes + c]))
          }
        }
      }
      // The table.
      features.withUnsafeBufferPointer { features in
        actual.withUnsafeMutableBufferPointer { scores in
          model.startFromBias(scores)
          if testCase.weighting.isRawCounts {
            table.addScores(features: features, to: scores)
          } else {
            table.addWeightedScores(
              features: features, weighting: testCase.weighting, to: scores, scratch: &scratch)
          }
        }
      }
      // Values are single precision and the two paths sum them in different orders, so they
      // agree to a few units in the last place of a Float. A table that stores differences
      // leaves the first score at its bias: compare what a softmax sees, the differences.
      if table.scoresDifference {
        let difference = expected[1] - expected[0]
        #expect(actual[0] == model.bias[0], "length \(length): the first score moved")
        #expect(
          abs((actual[1] - actual[0]) - difference) <= 1e-6 * max(1, magnitude),
          "length \(length): difference \(actual[1] - actual[0]) against \(difference)")
      } else {
        for c in 0..<testCase.classes {
          #expect(
            abs(actual[c] - expected[c]) <= 1e-6 * max(1, abs(expected[c])),
            "length \(length), class \(c): \(actual[c]) against \(expected[c])")
        }
      }
    }
  }
}
