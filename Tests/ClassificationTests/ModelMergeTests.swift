import Testing

@testable import Classification

@Suite struct ModelMergeTests {
  func options(_ algorithm: Algorithm = .naiveBayes) -> TrainingOptions {
    var options = TrainingOptions(
      algorithm: algorithm, weighting: FeatureWeighting(), maxFeatures: nil,
      pipeline: .init(features: .init(bucketBits: 10)), threads: 1)
    options.naiveBayes.alpha = 0.3
    options.complementNaiveBayes.alpha = 0.3
    options.labels = ["offensive", "safe"]
    return options
  }

  @Test(arguments: [Algorithm.naiveBayes, .complementNaiveBayes])
  func shardsMergeIntoTheWholeCorpus(algorithm: Algorithm) throws {
    let examples = Fixtures.examples
    let corpus = try Fixtures.corpus()
    // Three shards; the last one lacks the label "safe" entirely.
    let shards = [
      Array(examples[0..<6]) + Array(examples[8..<12]), Array(examples[12...]),
      Array(examples[6..<8]),
    ]
    var models: [(name: String, classifier: TextClassifier)] = []
    for (index, shard) in shards.enumerated() {
      let part = try LabeledCorpus(texts: shard.map(\.1), labels: shard.map(\.0))
      models.append(("shard \(index)", try Trainer.train([part], options: options(algorithm))))
    }
    #expect(models[2].classifier.labels == ["offensive", "safe"])
    let merged = try ModelMerge.merge(models)
    let whole = try Trainer.train([corpus], options: options(algorithm))
    #expect(merged.labels == whole.labels)
    #expect(merged.estimator.counts == whole.estimator.counts)
    for (_, text) in examples { #expect(merged.predict(text) == whole.predict(text)) }
    #expect(merged.provenance?.examples == examples.count)
    #expect(merged.provenance?.mergedFrom == 3)
  }

  @Test func unmergeableModelsAreNamed() throws {
    let corpus = try Fixtures.corpus()
    let good = try Trainer.train([corpus], options: options())
    var pruned = options()
    pruned.maxFeatures = 50
    let withVocabulary = try Trainer.train([corpus], options: pruned)
    var otherAlpha = options()
    otherAlpha.naiveBayes.alpha = 1
    let lr = try Trainer.train([corpus], options: TrainingOptions(threads: 1))
    let cases: [(TextClassifier, String)] = [
      (withVocabulary, "--max-features 0"),
      (try Trainer.train([corpus], options: otherAlpha), "--alpha"),
      (lr, "only naive-Bayes models keep counts"),
    ]
    for (model, reason) in cases {
      #expect {
        try ModelMerge.merge([("a", good), ("b", model)])
      } throws: { error in
        guard let error = error as? CribleError else { return false }
        return error.kind == .badConfiguration && error.message.contains("b")
          && error.message.contains(reason)
      }
    }
  }
}
