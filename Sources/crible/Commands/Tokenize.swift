import ArgumentParser
import Classification
import Foundation
import Tokenization

/// `crible tokenize`: show the features the pipeline produces, before hashing.
struct Tokenize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the features (readable strings, before hashing) of each text.",
    discussion: """
      Uses a model's pipeline with --model, otherwise the default pipeline. Texts come from the \
      arguments, or else one per line of standard input.
      """)

  @Option(name: .shortAndLong, help: "Use this model's pipeline.")
  var model: String?

  @Option(
    help: "A jieba-format dictionary: Chinese is also cut into its words (ignored with --model).")
  var dictionary: String?

  @Flag(help: "Print one JSON array of strings per text.")
  var json = false

  @Argument(help: "Texts to tokenize (default: each line of standard input).")
  var texts: [String] = []

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let pipeline: TextPipeline
      if let model {
        pipeline = try ModelFile.load(path: model).pipeline
      } else {
        if let dictionary {
          var configuration = TextPipeline.Configuration()
          configuration.features.hanWords = true
          let lexicon = try loadLexicon(dictionary, pipeline: TextPipeline())
          pipeline = TextPipeline(configuration: configuration, lexicon: lexicon)
        } else {
          pipeline = TextPipeline()
        }
      }
      func show(_ text: String) {
        let features = pipeline.featureStrings(text)
        if json {
          let data = (try? JSONEncoder().encode(features)) ?? Data("[]".utf8)
          print(String(decoding: data, as: UTF8.self))
        } else {
          print(features.joined(separator: " "))
        }
      }
      if texts.isEmpty {
        while let line = readLine(strippingNewline: true) { show(line) }
      } else {
        texts.forEach(show)
      }
    }
  }
}
