import Classification
import Foundation
import Testing

/// A small bilingual corpus written for the tests: ordinary and offensive messages in Chinese
/// and French.
enum Fixtures {
  static let examples: [(String, String)] = [
    ("offensive", "你真是个垃圾"),
    ("offensive", "滚开，蠢货"),
    ("offensive", "垃圾东西，去死吧"),
    ("offensive", "你这个蠢货闭嘴"),
    ("offensive", "t'es qu'un connard"),
    ("offensive", "ferme ta gueule espèce de connard"),
    ("offensive", "quel abruti, dégage"),
    ("offensive", "sale abruti de merde"),
    ("safe", "今天天气很好"),
    ("safe", "我们明天一起吃饭吧"),
    ("safe", "谢谢你的帮助"),
    ("safe", "明天见，祝你好运"),
    ("safe", "merci pour ton aide"),
    ("safe", "on se voit demain pour déjeuner"),
    ("safe", "bonne journée à toi"),
    ("safe", "il fait beau aujourd'hui"),
  ]

  static func corpus() throws -> LabeledCorpus {
    try LabeledCorpus(texts: examples.map(\.1), labels: examples.map(\.0))
  }

  static func classifier(bucketBits: Int = 12) throws -> TextClassifier {
    try Trainer.train(
      [corpus()],
      options: TrainingOptions(pipeline: .init(features: .init(bucketBits: bucketBits)), threads: 2)
    )
  }

  /// Checks that `classifier`, trained on ``examples``, survives a model file unchanged and
  /// tells an insult from a thank-you in both languages.
  static func expectRoundTripAndSense(
    _ classifier: TextClassifier, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let loaded = try ModelFile.decode(ModelFile.encode(classifier), source: "m.crible")
    #expect(loaded.estimator == classifier.estimator, sourceLocation: sourceLocation)
    for text in examples.map(\.1) {
      #expect(loaded.predict(text) == classifier.predict(text), sourceLocation: sourceLocation)
    }
    #expect(classifier.predict("你这个垃圾蠢货").label == "offensive", sourceLocation: sourceLocation)
    #expect(
      classifier.predict("merci pour ton aide").label == "safe", sourceLocation: sourceLocation)
  }

  /// A fresh temporary directory for one test.
  static func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crible-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
