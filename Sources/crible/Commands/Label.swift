import ArgumentParser
import Classification

/// `crible label`: label message files, one output line per input line, in order.
struct Label: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Label messages, one per line: writes label<TAB>probability for every input line, in order.")

  @Option(name: .shortAndLong, help: "The model file.")
  var model: String

  @Argument(help: "Message files, labelled in turn (none or `-`: standard input).")
  var inputs: [String] = []

  @Option(name: .shortAndLong, help: "Where to write the labels (default: standard output).")
  var output: String?

  @Flag(
    help:
      "Write one JSON object per line: label, probability, and scores (every label's probability).")
  var jsonl = false

  @OptionGroup var threading: ThreadOptions

  func validate() throws {
    if inputs.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("Standard input (-) can be read only once.")
    }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let labeler = BatchLabeler(
        classifier: classifier, threads: threading.threads, format: jsonl ? .jsonl : .tsv)
      let lines = try labeler.label(inputs: inputs, output: output) { lines in
        Console.progress("labelled \(lines) lines")
      }
      Console.endProgress()
      if Console.isTerminal, let output {
        Console.error("Labelled \(lines) lines into \(output).")
      }
    }
  }
}
