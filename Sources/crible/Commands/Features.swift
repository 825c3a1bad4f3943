import ArgumentParser
import Classification
import Foundation

/// `crible features`: export the feature vectors a model sees, to check Crible against other tools.
struct Features: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write the feature vectors a model sees for labelled messages, in svmlight format.",
    discussion: """
      Each output line is the zero-based index of the line's label in the model's label order, \
      then zero-based index:value pairs in increasing order: exactly the vector the model \
      scores, after its vocabulary and weighting. scikit-learn's load_svmlight_file and \
      LIBLINEAR read it.
      """)

  @Option(name: .shortAndLong, help: "The model file.")
  var model: String

  @Argument(help: "The labelled file (`-` for standard input).")
  var file: String

  @Option(help: "The output format: svmlight (the only one, LIBSVM's sparse text format).")
  var format: ExportFormat = .svmlight

  @Option(help: "The line format of the labelled file: auto, tsv or fasttext.")
  var inputFormat: LabeledCorpus.Format = .auto

  @Option(name: .shortAndLong, help: "Where to write (default: standard output).")
  var output: String?

  enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case svmlight
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let corpus = try LabeledCorpus.load(
        path: file, format: inputFormat, labels: classifier.labels,
        multiLabel: classifier.isMultiLabel)
      var text = ""
      for example in 0..<corpus.count {
        // Multi-label lines carry every label index, comma-separated, as LIBSVM's multi-label
        // format and scikit-learn's load_svmlight_file(multilabel=True) read them.
        text += corpus.labelSet(at: example).map(String.init).joined(separator: ",")
        for (index, value) in classifier.featureVector(corpus.text(at: example)) {
          text += " \(index):\(value)"
        }
        text += "\n"
      }
      let bytes = Array(text.utf8)
      if let output, output != "-" {
        do {
          try Data(bytes).write(to: URL(fileURLWithPath: output))
        } catch {
          throw CribleError(.cannotWrite, "Cannot write \(output): \(error.localizedDescription).")
        }
      } else {
        FileHandle.standardOutput.write(Data(bytes))
      }
    }
  }
}
