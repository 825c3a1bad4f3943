import Testing
import Tokenization

@testable import Classification

@Suite struct TrainerTests {
  @Test func learnsTheFixtureCorpus() throws {
    let classifier = try Fixtures.classifier()
    #expect(classifier.labels == ["offensive", "safe"])
    #expect(classifier.predict("你这个垃圾蠢货").label == "offensive")
    #expect(classifier.predict("谢谢，明天见").label == "safe")
    #expect(classifier.predict("espèce d'abruti").label == "offensive")
    #expect(classifier.predict("merci, bonne journée").label == "safe")
    let prediction = classifier.predict("垃圾")
    #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-9)
    #expect(prediction.probability == prediction.probabilities.max())
  }

  @Test func resultDoesNotDependOnThreadCount() throws {
    let corpus = try Fixtures.corpus()
    let one = try Trainer.train([corpus], options: TrainingOptions(threads: 1))
    let four = try Trainer.train([corpus], options: TrainingOptions(threads: 4))
    #expect(one.estimator == four.estimator)
  }

  /// Document frequencies and the training matrix are built by several workers, one shard
  /// each; they equal one worker's, row for row, over several corpora.
  @Test func featureTablesDoNotDependOnWorkers() throws {
    let corpora = try (0..<2).map { corpus in
      let examples = (0..<700).map { index in
        let (label, text) = Fixtures.examples[(index * 7 + corpus) % Fixtures.examples.count]
        return (label, "\(text) \(index % 37) n\(index % 11)")
      }
      return try LabeledCorpus(texts: examples.map(\.1), labels: examples.map(\.0))
    }
    let options = TrainingOptions(pipeline: .init(features: .init(bucketBits: 14)))
    let pipeline = TextPipeline(configuration: options.pipeline)
    func tables(threads: Int) -> ([Int], Int, TrainingMatrix) {
      let shards = corpora.map { FeatureShards.extract($0, pipeline: pipeline, threads: threads) }
      let (frequency, documents) = Trainer.documentFrequencies(
        shards, buckets: pipeline.bucketCount, threads: threads)
      let space = FeatureSpace(
        documentFrequency: frequency, documents: documents, bucketCount: pipeline.bucketCount,
        options: options)
      let matrix = Trainer.trainingMatrix(
        shards, space: space, featureCount: space.featureCount(bucketCount: pipeline.bucketCount),
        classCount: 2
      ) { corpus, example in (corpora[corpus].label(at: example), Float(corpus + 1)) }
      return (frequency, documents, matrix)
    }
    let (frequency, documents, matrix) = tables(threads: 1)
    #expect(documents == 1400 && matrix.count == 1400)
    #expect(matrix.weights[699] == 1 && matrix.weights[700] == 2)
    for threads in [2, 3] {
      let (otherFrequency, otherDocuments, other) = tables(threads: threads)
      #expect(otherFrequency == frequency && otherDocuments == documents)
      #expect(other.offsets == matrix.offsets && other.indices == matrix.indices)
      #expect(other.values == matrix.values && other.labels == matrix.labels)
      #expect(other.weights == matrix.weights)
    }
  }

  /// Each algorithm's default pipeline: `</s>` for the embeddings, numbers read as Han in
  /// Chinese messages for logistic regression, the embeddings and the linear SVM;
  /// `TrainingOptions` takes it when given none.
  @Test func defaultPipelinesFollowTheAlgorithm() {
    for algorithm in Algorithm.allCases {
      let pipeline = TrainingOptions.defaultPipeline(for: algorithm)
      #expect(pipeline.features.endOfMessage == (algorithm == .embeddings))
      #expect(
        pipeline.tokenization.numbersAsHan
          == (algorithm == .logisticRegression || algorithm == .embeddings
            || algorithm == .linearSVM))
      #expect(TrainingOptions(algorithm: algorithm).pipeline == pipeline)
    }
  }

  /// Balanced class weights for logistic regression, the supervised embeddings and the linear
  /// SVM, uniform for the naive Bayes models; the model records the weights it trained with when they are
  /// not all one.
  @Test func defaultClassWeightsFollowTheAlgorithm() throws {
    for algorithm in Algorithm.allCases {
      #expect(
        TrainingOptions(algorithm: algorithm).classWeights
          == (algorithm == .embeddings || algorithm == .logisticRegression
            || algorithm == .linearSVM ? .balanced : .uniform))
    }
    // Eight examples of one label and four of the other: n / (2 · n_label).
    let corpus = try LabeledCorpus(
      texts: (0..<12).map { "message \($0 % 4)" }, labels: (0..<12).map { $0 < 8 ? "a" : "b" })
    var options = TrainingOptions(algorithm: .embeddings, threads: 1)
    options.pipeline.features.bucketBits = 10
    let balanced = try Trainer.train([corpus], options: options)
    #expect(balanced.provenance?.classWeights == ["a": 0.75, "b": 1.5])
    options.classWeights = .uniform
    #expect(try Trainer.train([corpus], options: options).provenance?.classWeights == nil)
    var regression = TrainingOptions(algorithm: .logisticRegression, threads: 1)
    regression.pipeline.features.bucketBits = 10
    #expect(
      try Trainer.train([corpus], options: regression).provenance?.classWeights
        == ["a": 0.75, "b": 1.5])
    var bayes = TrainingOptions(algorithm: .naiveBayes, threads: 1)
    bayes.pipeline.features.bucketBits = 10
    #expect(try Trainer.train([corpus], options: bayes).provenance?.classWeights == nil)
  }

  /// Logistic regression's default L2 strength follows the size of the training data: 1e-5
  /// up to 10,000 examples, 1 / (10 · examples) above; a given strength is kept as it is.
  @Test func defaultL2FollowsTheTrainingSize() throws {
    #expect(LogisticRegression.Configuration.defaultL2(examples: 4) == 1e-5)
    #expect(LogisticRegression.Configuration.defaultL2(examples: 10_000) == 1e-5)
    #expect(LogisticRegression.Configuration.defaultL2(examples: 20_000) == 5e-6)
    #expect(LogisticRegression.Configuration.defaultL2(examples: 105_000) == 1.0 / 1_050_000)
    var options = TrainingOptions(algorithm: .logisticRegression)
    #expect(options.logisticRegression(examples: 50_000).l2 == 2e-6)
    options.automaticL2 = false
    options.logisticRegression.l2 = 3e-4
    #expect(options.logisticRegression(examples: 50_000).l2 == 3e-4)
    // The model records the strength it was trained with.
    let corpus = try Fixtures.corpus()
    let automatic = try Trainer.train(
      [corpus], options: TrainingOptions(algorithm: .logisticRegression))
    #expect(automatic.estimator.hyperparameters["l2"] == 1e-5)
    let given = try Trainer.train([corpus], options: options)
    #expect(given.estimator.hyperparameters["l2"] == 3e-4)
  }

  @Test func mergesCorporaThroughLabelMapping() throws {
    let chinese = try LabeledCorpus(texts: ["垃圾", "你好"], labels: ["offensive", "safe"])
    let french = try LabeledCorpus(texts: ["connard", "bonjour"], labels: ["toxic", "normal"])
    let classifier = try Trainer.train(
      [chinese, french],
      options: TrainingOptions(labelMapping: ["toxic": "offensive", "normal": "safe"]))
    #expect(classifier.labels == ["offensive", "safe"])
    #expect(classifier.provenance?.examples == 4)
    #expect(classifier.provenance?.labelCounts == ["offensive": 2, "safe": 2])
  }

  @Test func refusesASingleLabel() throws {
    let corpus = try LabeledCorpus(texts: ["a", "b"], labels: ["x", "x"])
    #expect(throws: CribleError.self) { try Trainer.train([corpus], options: TrainingOptions()) }
  }

  @Test func refusesBadSettingsBeforeTraining() throws {
    let corpus = try Fixtures.corpus()
    var options = TrainingOptions()
    options.naiveBayes.alpha = 0
    #expect(throws: CribleError.self) { try Trainer.train([corpus], options: options) }
  }
}
