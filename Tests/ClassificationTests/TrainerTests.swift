import Testing

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

  /// Each algorithm's default pipeline: `</s>` for the embeddings, numbers read as Han in
  /// Chinese messages for logistic regression and the embeddings; `TrainingOptions` takes it
  /// when given none.
  @Test func defaultPipelinesFollowTheAlgorithm() {
    for algorithm in Algorithm.allCases {
      let pipeline = TrainingOptions.defaultPipeline(for: algorithm)
      #expect(pipeline.features.endOfMessage == (algorithm == .embeddings))
      #expect(
        pipeline.tokenization.numbersAsHan
          == (algorithm == .logisticRegression || algorithm == .embeddings))
      #expect(TrainingOptions(algorithm: algorithm).pipeline == pipeline)
    }
  }

  /// Logistic regression's default L2 strength follows the size of the training data: 1e-5
  /// up to 10,000 examples, 1 / (10 · examples) above; a given strength is kept as it is.
  @Test func defaultL2FollowsTheTrainingSize() throws {
    #expect(LogisticRegression.Configuration.defaultL2(examples: 4) == 1e-5)
    #expect(LogisticRegression.Configuration.defaultL2(examples: 10_000) == 1e-5)
    #expect(LogisticRegression.Configuration.defaultL2(examples: 20_000) == 5e-6)
    #expect(LogisticRegression.Configuration.defaultL2(examples: 105_000) == 1.0 / 1_050_000)
    var options = TrainingOptions()
    #expect(options.logisticRegression(examples: 50_000).l2 == 2e-6)
    options.automaticL2 = false
    options.logisticRegression.l2 = 3e-4
    #expect(options.logisticRegression(examples: 50_000).l2 == 3e-4)
    // The model records the strength it was trained with.
    let corpus = try Fixtures.corpus()
    let automatic = try Trainer.train([corpus], options: TrainingOptions())
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
