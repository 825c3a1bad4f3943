import Testing

@testable import Classification

@Suite struct TunerTests {
  @Test(arguments: [
    ("macro-f1", Tuner.Objective.macroF1), ("accuracy", .accuracy), ("f1:spam", .f1("spam")),
    ("recall@precision:offensive=0.95", .recallAtPrecision("offensive", 0.95)),
  ])
  func objectivesParse(text: String, objective: Tuner.Objective) {
    #expect(Tuner.Objective(text) == objective)
    #expect(objective.description == text)
  }

  @Test(arguments: ["f1:", "recall@precision:x=2", "recall@precision:=0.5", "f2"])
  func badObjectivesAreRefused(text: String) {
    #expect(Tuner.Objective(text) == nil)
  }

  func candidates() -> [Tuner.Candidate] {
    [0.01, 0.3, 3, 30, 300, 3000].map { alpha in
      var options = TrainingOptions(
        algorithm: .naiveBayes, pipeline: .init(features: .init(bucketBits: 12)), threads: 1)
      options.naiveBayes.alpha = alpha
      return Tuner.Candidate(name: "alpha=\(alpha)", options: options)
    }
  }

  @Test func resultsComeBestFirstAndMatchADirectScore() throws {
    let corpus = try Fixtures.corpus()
    let results = try Tuner.run(
      candidates(), training: corpus, validation: corpus, folds: 2, objective: .accuracy,
      halving: false)
    #expect(results.count == 6)
    #expect(zip(results, results.dropFirst()).allSatisfy { $0.score >= $1.score })
    // The score of a candidate is what training and scoring it directly gives.
    let top = try #require(candidates().first { $0.name == results[0].name })
    let model = try Trainer.train([corpus], options: top.options)
    #expect(
      try Tuner.score(model, on: corpus, objective: .accuracy, threads: 1) == results[0].score)
  }

  @Test func validationResultsDoNotDependOnTheWorkers() throws {
    // Large enough that logistic regression on two threads would split its gradient.
    let corpus = try CrossValidationTests.corpus()
    let training = corpus.subset(Array(0..<1_200))
    let validation = corpus.subset(Array(1_200..<1_800))
    var runs: [[Tuner.Result]] = []
    for threads in [1, 2, 3] {
      let candidates = [1e-5, 1e-3, 1e-1].map { l2 in
        var options = TrainingOptions(
          algorithm: .logisticRegression, pipeline: CrossValidationTests.pipeline, threads: threads)
        options.automaticL2 = false
        options.logisticRegression.l2 = l2
        return Tuner.Candidate(name: "l2=\(l2)", options: options)
      }
      var order: [Int] = []
      var results = try Tuner.run(
        candidates, training: training, validation: validation, folds: 2, objective: .macroF1,
        halving: false
      ) { done, _, _ in order.append(done) }
      #expect(order == [1, 2, 3])
      for index in results.indices { results[index].seconds = 0 }
      runs.append(results)
    }
    #expect(runs[0].count == 3 && runs[0] == runs[1] && runs[0] == runs[2])
    // The scores tell the strengths apart.
    #expect(Set(runs[0].map(\.score)).count > 1)
  }

  @Test func halvingTrainsFewerCandidatesOnAllTheData() throws {
    let corpus = try Fixtures.corpus()
    var trainings = 0
    let results = try Tuner.run(
      candidates(), training: corpus, validation: corpus, folds: 2, objective: .macroF1,
      halving: true
    ) { done, _, _ in trainings = done }
    // 6 on a quarter, 2 on half, 1 on all.
    #expect(trainings == 9)
    #expect(results.filter { $0.fraction == 1 }.count == 1)
    #expect(results[0].fraction == 1)
  }
}
