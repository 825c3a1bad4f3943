import Classification
import Foundation
import Testing

/// The README's "Library use" example, as it is printed there (Scripts/check-readme.sh checks
/// that the two agree), run against the shipped model.
@Suite struct ReadmeExampleTests {
  @Test func theExampleRuns() throws {
    // `swift test` runs in the package's folder, where the README's relative paths hold.
    try #require(FileManager.default.fileExists(atPath: "Models/offensive-zh-fr.crible"))
    // README example begins
    let labels = "/tmp/labels.txt"
    // Load a shipped model; classify one message, then a batch on every core.
    let model = try TextClassifier(contentsOf: "Models/offensive-zh-fr.crible")
    let one = model.predict("你这个蠢货")
    print(one.label, one.probability)  // offensive 0.69...
    let batch = model.predict(["merci beaucoup", "滚开，垃圾"])
    print(batch.map(\.label))  // ["safe", "offensive"]

    // Train from arrays in memory, and save the model.
    let trained = try Trainer.train(
      texts: ["加微信领红包", "免费领取", "明天见", "谢谢你"],
      labels: ["spam", "spam", "ham", "ham"])
    try trained.save(to: "/tmp/spam.crible")

    // Stream a file of any size, in order, on every core.
    try BatchLabeler(classifier: model).label(
      inputs: ["Datasets/samples/messages.txt"], output: labels)
    // README example ends

    #expect(one.label == "offensive")
    #expect(batch.map(\.label) == ["safe", "offensive"])
    #expect(trained.labels == ["ham", "spam"])
    #expect(try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n").count == 40)
  }
}
