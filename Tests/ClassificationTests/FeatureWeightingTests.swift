import Foundation
import Testing
import Tokenization
import _TestSupport

@testable import Classification

@Suite struct FeatureWeightingTests {
  func weigh(_ features: [UInt32], _ weighting: FeatureWeighting, idf: [Float]? = nil) -> [(
    UInt32, Float
  )] {
    var vector = WeightedFeatures()
    features.withUnsafeBufferPointer { vector.assign($0, weighting: weighting, idf: idf) }
    return vector.withVector { indices, values in Array(zip(indices, values)) }
  }

  @Test func countsMergeRepeatsAndSort() {
    let result = weigh([7, 2, 7, 7, 0], .init())
    #expect(result.map(\.0) == [0, 2, 7])
    #expect(result.map(\.1) == [1, 1, 3])
  }

  @Test func binaryAndSublinear() {
    #expect(weigh([3, 3, 3], .init(termFrequency: .binary)).map(\.1) == [1])
    let sublinear = weigh([3, 3, 3, 1], .init(termFrequency: .sublinear))
    #expect(abs(sublinear[1].1 - (1 + logf(3))) < 1e-6)
    #expect(sublinear[0].1 == 1)
  }

  /// scikit-learn's TfidfVectorizer(sublinear_tf=True) on a document where feature 0 occurs
  /// twice and feature 1 once, with idf (1.5, 2.0): values (1 + ln 2)·1.5 and 1·2.0, then
  /// divided by their Euclidean norm.
  @Test func tfidfWithL2MatchesScikitLearn() {
    let result = weigh(
      [0, 1, 0],
      .init(termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true),
      idf: [1.5, 2.0])
    let a = Float(1 + log(2.0)) * 1.5
    let b: Float = 2
    let norm = (a * a + b * b).squareRoot()
    #expect(abs(result[0].1 - a / norm) < 1e-6)
    #expect(abs(result[1].1 - b / norm) < 1e-6)
  }

  @Test func smoothedIDFFollowsScikitLearn() {
    // idf = ln((1 + n) / (1 + df)) + 1; with n = 3, df = 1: ln 2 + 1.
    #expect(
      abs(
        FeatureWeighting.inverseDocumentFrequency(documentFrequency: 1, documents: 3) - (log(2) + 1)
      ) < 1e-12)
  }

  @Test func emptyMessage() {
    #expect(weigh([], .init(termFrequency: .sublinear, l2Normalize: true)).isEmpty)
    #expect(weigh([], .init(l1Normalize: true)).isEmpty)
  }

  /// L1 normalisation of counts: each occurrence weighs one over the number of occurrences (the
  /// mean fastText takes), in both merging paths.
  @Test func l1NormalizedCountsAreTheMean() {
    let result = weigh([5, 1, 5, 5], .init(l1Normalize: true))
    #expect(result.map(\.0) == [1, 5])
    #expect(result.map(\.1) == [0.25, 0.75])
    var vector = WeightedFeatures()
    [UInt32(5), 1, 5, 5].withUnsafeBufferPointer {
      vector.assign($0, weighting: .init(l1Normalize: true), idf: nil, ordered: false)
    }
    let unordered = vector.withVector { indices, values in
      Dictionary(uniqueKeysWithValues: zip(indices, values))
    }
    #expect(unordered == [5: 0.75, 1: 0.25])
    #expect(!FeatureWeighting(l1Normalize: true).isRawCounts)
  }

  /// Weightings stored before L1 normalisation existed decode with it off.
  @Test func olderWeightingsDecode() throws {
    let stored =
      #"{"termFrequency":"sublinear","inverseDocumentFrequency":true,"l2Normalize":true}"#
    let decoded = try JSONDecoder().decode(FeatureWeighting.self, from: Data(stored.utf8))
    #expect(
      decoded
        == FeatureWeighting(
          termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true))
  }
}

@Suite struct VocabularyTests {
  @Test func pruningByCountAndSize() {
    let frequency = [0, 5, 1, 3, 3, 9]
    #expect(
      Vocabulary(documentFrequency: frequency, minCount: 2, maxFeatures: nil).buckets == [
        1, 3, 4, 5,
      ])
    // The three most frequent; the tie between 3 and 4 goes to the lower bucket.
    #expect(
      Vocabulary(documentFrequency: frequency, minCount: 1, maxFeatures: 3).buckets == [1, 3, 5])
    #expect(Vocabulary(documentFrequency: [0, 0], minCount: 1, maxFeatures: 1).buckets.isEmpty)
    #expect(Vocabulary(documentFrequency: [], minCount: 1, maxFeatures: 5).buckets.isEmpty)
  }

  /// The kept buckets equal those of sorting by frequency, then bucket, and taking the first
  /// `maxFeatures` (what the vocabulary promises), on frequencies with many ties.
  @Test(arguments: [1, 2, 3])
  func pruningEqualsSortingByFrequency(minCount: Int) {
    var generator = SeededGenerator(seed: UInt64(minCount))
    for _ in 0..<50 {
      let frequency = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
        Int.random(in: 0...12, using: &generator)
      }
      let maxFeatures = Int.random(in: 1...320, using: &generator)
      let expected = frequency.indices.filter { frequency[$0] >= minCount }
        .sorted { frequency[$0] != frequency[$1] ? frequency[$0] > frequency[$1] : $0 < $1 }
        .prefix(maxFeatures).sorted().map { UInt32($0) }
      #expect(
        Vocabulary(documentFrequency: frequency, minCount: minCount, maxFeatures: maxFeatures)
          .buckets == expected)
    }
  }

  @Test func lookupsAndMapping() {
    let vocabulary = Vocabulary(buckets: [900_000, 12, 77, 5_000_000])
    #expect(vocabulary.count == 4)
    #expect(vocabulary.index(of: 12) == 0)
    #expect(vocabulary.index(of: 5_000_000) == 3)
    #expect(vocabulary.index(of: 13) == nil)
    var features: [UInt32] = [77, 1, 12, 77, 3]
    let kept = features.withUnsafeMutableBufferPointer { vocabulary.map($0) }
    #expect(Array(features[0..<kept]) == [1, 0, 1])
  }

  @Test func manyBucketsAllFound() {
    let buckets = (0..<10_000).map { UInt32($0 * 7919 % 1_000_003) }
    let vocabulary = Vocabulary(buckets: buckets)
    for (index, bucket) in vocabulary.buckets.enumerated() {
      #expect(vocabulary.index(of: bucket) == UInt32(index))
    }
  }
}

@Suite struct PrunedAndWeightedModelTests {
  @Test func vocabularyAndTFIDFModelsRoundTrip() throws {
    let corpus = try Fixtures.corpus()
    let options = TrainingOptions(
      weighting: .init(
        termFrequency: .sublinear, inverseDocumentFrequency: true, l2Normalize: true),
      minCount: 2, pipeline: .init(features: .init(bucketBits: 20)), threads: 2)
    let classifier = try Trainer.train([corpus], options: options)
    let vocabulary = try #require(classifier.vocabulary)
    #expect(vocabulary.count > 0 && vocabulary.count < 1 << 20)
    #expect(classifier.linearModel.featureCount == vocabulary.count)
    #expect(classifier.inverseDocumentFrequencies?.count == vocabulary.count)
    let loaded = try ModelFile.decode(ModelFile.encode(classifier), source: "m.crible")
    #expect(loaded.vocabulary == classifier.vocabulary)
    #expect(loaded.weighting == classifier.weighting)
    #expect(loaded.inverseDocumentFrequencies == classifier.inverseDocumentFrequencies)
    for text in Fixtures.examples.map(\.1) + ["inconnu", ""] {
      #expect(loaded.predict(text) == classifier.predict(text))
    }
    let probabilities = classifier.predict("垃圾").probabilities
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
  }

  @Test func maxFeaturesBoundsTheModel() throws {
    let options = TrainingOptions(maxFeatures: 10, pipeline: .init(features: .init(bucketBits: 20)))
    let classifier = try Trainer.train([try Fixtures.corpus()], options: options)
    #expect(classifier.vocabulary?.count == 10)
    #expect(classifier.linearModel.weights.count == 10 * 2)
  }

  @Test func invalidPruningIsRefused() {
    #expect(throws: CribleError.self) { try TrainingOptions(minCount: 0).validate() }
    #expect(throws: CribleError.self) { try TrainingOptions(maxFeatures: 0).validate() }
  }
}

@Suite struct LexiconModelTests {
  @Test func modelsCarryTheirDictionary() throws {
    let lexicon = Lexicon(
      words: ["垃圾", "蠢货", "谢谢"].map { $0.unicodeScalars.map(\.value) }, frequencies: [100, 80, 120])
    let classifier = try Trainer.train(
      [try Fixtures.corpus()], options: TrainingOptions(lexicon: lexicon, threads: 1))
    #expect(classifier.pipeline.configuration.features.hanWords)
    let loaded = try ModelFile.decode(ModelFile.encode(classifier), source: "m.crible")
    #expect(loaded.pipeline.lexicon == lexicon)
    for text in Fixtures.examples.map(\.1) {
      #expect(loaded.predict(text) == classifier.predict(text))
    }
  }

  @Test func segmentationWithoutADictionaryIsRefused() throws {
    var options = TrainingOptions()
    options.pipeline.features.hanWords = true
    #expect(throws: CribleError.self) {
      try Trainer.train([try Fixtures.corpus()], options: options)
    }
  }
}
