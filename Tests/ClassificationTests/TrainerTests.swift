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
