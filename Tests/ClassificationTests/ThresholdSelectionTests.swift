import Testing

@testable import Classification

@Suite struct ThresholdSelectionTests {
  // Scores from high to low: + + - + - - (and a tie at 0.5 between a + and a -).
  let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.1]
  let positives = [true, true, false, true, true, false, false]

  @Test func precisionTargetKeepsTheMostRecall() throws {
    let perfect = try #require(
      ThresholdSelection.choose(
        scores: scores, positives: positives, target: .precision(1), label: "x"))
    #expect(perfect.threshold == 0.8 && perfect.recall == 0.5 && perfect.reached)
    let three = try #require(
      ThresholdSelection.choose(
        scores: scores, positives: positives, target: .precision(0.75), label: "x"))
    // At 0.6: 3 of 4 admitted are positive (0.75), recall 3/4; at 0.5: 4 of 6.
    #expect(three.threshold == 0.6 && three.precision == 0.75 && three.recall == 0.75)
  }

  @Test func recallTargetKeepsTheMostPrecision() throws {
    let all = try #require(
      ThresholdSelection.choose(
        scores: scores, positives: positives, target: .recall(1), label: "x"))
    // Ties enter together: 0.5 admits both tied examples.
    #expect(all.threshold == 0.5 && all.recall == 1 && abs(all.precision - 4.0 / 6) < 1e-12)
  }

  @Test func unreachableTargetsSaySo() throws {
    let choice = try #require(
      ThresholdSelection.choose(
        scores: [0.9, 0.8], positives: [false, true], target: .precision(0.99), label: "x"))
    #expect(!choice.reached && choice.threshold == 0.8)
    #expect(
      ThresholdSelection.choose(
        scores: [0.9], positives: [false], target: .precision(0.9), label: "x") == nil)
  }

  @Test func thresholdsTravelWithTheModelAndMakeLabelAbstain() throws {
    let classifier = try Fixtures.classifier()
    let corpus = try Fixtures.corpus()
    let (tuned, choices) = try ThresholdSelection.apply(
      to: classifier, validation: corpus, targets: ["offensive": .precision(1)])
    #expect(choices.count == 1 && tuned.decisionThresholds["offensive"] == choices[0].threshold)
    let reloaded = try ModelFile.decode(ModelFile.encode(tuned), source: "memory")
    #expect(reloaded.decisionThresholds == tuned.decisionThresholds)
    // A threshold above every probability: offensive messages abstain, safe ones do not.
    let strict = tuned.with(thresholds: ["offensive": 1])
    let out = BatchLabeler(classifier: strict).label(text: "你真是个垃圾\n今天天气很好")
    let first = out.split(separator: "\n").map { $0.split(separator: "\t")[0] }
    #expect(first == ["abstain", "safe"])
  }
}
