import ArgumentParser
import Classification
import Foundation
import Tokenization

/// `crible tokenize`: show the features the pipeline produces, before hashing.
struct Tokenize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the features (readable strings, before hashing) of each text.",
    discussion: """
      Uses a model's pipeline with --model, otherwise the default pipeline for --language. Texts \
      come from the arguments, or else one per line of standard input.
      """)

  @Option(name: .shortAndLong, help: "Use this model's pipeline.")
  var model: String?

  @Option(
    help: "A jieba-format dictionary: Chinese is also cut into its words (ignored with --model).")
  var dictionary: String?

  @Option(
    help: ArgumentHelp(
      "The language the default pipeline is set up for (ignored with --model).",
      valueName: TextPipeline.Language.allCases.map(\.rawValue).joined(separator: "|")))
  var language: TextPipeline.Language = .auto

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
        var configuration = TextPipeline.Configuration(language: language)
        if let dictionary {
          configuration.features.hanWords = true
          let lexicon = try loadLexicon(
            dictionary, pipeline: TextPipeline(configuration: configuration))
          pipeline = TextPipeline(configuration: configuration, lexicon: lexicon)
        } else {
          pipeline = TextPipeline(configuration: configuration)
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
