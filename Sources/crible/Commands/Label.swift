import ArgumentParser
import Classification

/// `crible label`: label message files, one output line per input line, in order.
struct Label: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Label messages, one per line: writes label<TAB>probability for every input line, in order.",
    discussion: """
      Reads plain lines, TSV (--input-format tsv --text-column N) or JSON lines \
      (--input-format jsonl --text-field F), from files in turn or standard input. A line \
      whose text cannot be found is written as `#error<TAB>line N of FILE: why` (or \
      {"error": ...} with --jsonl), never skipped; the command then exits with status 65 \
      after writing every line.
      """)

  enum InputKind: String, ExpressibleByArgument, CaseIterable {
    case lines, tsv, jsonl
  }

  @Option(name: .shortAndLong, help: "The model file.")
  var model: String

  @Argument(help: "Message files, labelled in turn (none or `-`: standard input).")
  var inputs: [String] = []

  @Option(name: .shortAndLong, help: "Where to write the labels (default: standard output).")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "How input lines hold the message.",
      valueName: InputKind.allCases.map(\.rawValue).joined(separator: "|")))
  var inputFormat: InputKind = .lines

  @Option(help: "TSV input: the column holding the message, counted from 1.")
  var textColumn: Int = 1

  @Option(help: "JSON-lines input: the string member holding the message.")
  var textField: String = "text"

  @Flag(
    help:
      "Write one JSON object per line: label, probability, and scores (every label's probability).")
  var jsonl = false

  @Option(help: "Write the K most probable labels with their probabilities.")
  var topK: Int = 1

  @Option(
    help: ArgumentHelp(
      "Give LABEL only when its probability is at least P, else the abstain label (repeatable).",
      valueName: "LABEL=P"))
  var threshold: [LabelThreshold] = []

  @Option(help: "The label written below a threshold.")
  var abstainLabel: String = "abstain"

  @Flag(help: "Carry each message's text along (TSV: a last column; JSON: a text member).")
  var withText = false

  @Option(
    help: "List the N features that weighed most toward each label (slow: builds strings).")
  var explain: Int = 0

  @OptionGroup var threading: ThreadOptions

  func validate() throws {
    if inputs.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("Standard input (-) can be read only once.")
    }
    if textColumn < 1 { throw ValidationError("--text-column counts from 1, not \(textColumn).") }
    if topK < 1 { throw ValidationError("--top-k must be at least 1, not \(topK).") }
    if explain < 0 { throw ValidationError("--explain must be 0 or more, not \(explain).") }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      var thresholds: [String: Double] = [:]
      for item in threshold {
        guard classifier.labels.contains(item.label) else {
          throw CribleError(
            .badConfiguration,
            "--threshold names the label \"\(item.label)\", which \(model) does not have; its labels are \(classifier.labels.joined(separator: ", "))."
          )
        }
        thresholds[item.label] = item.probability
      }
      let input: InputFormat
      switch inputFormat {
      case .lines: input = .lines
      case .tsv: input = .tsv(column: textColumn)
      case .jsonl: input = .jsonl(field: textField)
      }
      let labeler = BatchLabeler(
        classifier: classifier, threads: threading.threads, input: input,
        output: BatchLabeler.OutputOptions(
          format: jsonl ? .jsonl : .tsv, topK: topK, thresholds: thresholds,
          abstainLabel: abstainLabel, withText: withText, explain: explain))
      let outcome = try labeler.run(inputs: inputs, output: output) { lines in
        Console.progress("labelled \(lines) lines")
      }
      Console.endProgress()
      if Console.isTerminal, let output {
        Console.error("Labelled \(outcome.lines) lines into \(output).")
      }
      if let first = outcome.firstInvalid {
        throw CribleError(
          .badData,
          "\(outcome.invalidLines) of \(outcome.lines) lines had no message to label (the first: line \(first.line) of \(first.file)); they are marked #error in the output. Check --input-format, --text-column and --text-field."
        )
      }
    }
  }
}

/// A per-label threshold written `LABEL=P`.
struct LabelThreshold: ExpressibleByArgument {
  var label: String
  var probability: Double

  init?(argument: String) {
    guard let equals = argument.lastIndex(of: "="),
      let probability = Double(argument[argument.index(after: equals)...]),
      probability >= 0 && probability <= 1
    else { return nil }
    label = String(argument[..<equals])
    self.probability = probability
  }
}
