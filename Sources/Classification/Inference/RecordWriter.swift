/// Formats one output line per message, into a byte buffer, without allocating per message
/// (except for ``BatchLabeler/OutputOptions/explain``, which builds strings).
struct RecordWriter: Sendable {
  /// The model, for its explanations.
  ///
  /// A reference: the writer writes every message's line, and holding the classifier itself
  /// made the compiler copy its 872 bytes, and the writer's 976, to the stack for every message.
  private let explainer: Explainer
  private let isMultiLabel: Bool
  let options: BatchLabeler.OutputOptions
  /// The UTF-8 bytes of each label, ready to copy into the output.
  private let labelBytes: [[UInt8]]
  /// Each label as a JSON string literal, quotes included.
  private let jsonLabels: [[UInt8]]
  /// Each label's threshold (0 when it has none).
  private let thresholds: [Double]
  private let abstainBytes: [UInt8]
  private let abstainJSON: [UInt8]
  private let topK: Int

  private final class Explainer: Sendable {
    let classifier: TextClassifier
    init(_ classifier: TextClassifier) { self.classifier = classifier }
  }

  init(classifier: TextClassifier, options: BatchLabeler.OutputOptions) {
    explainer = Explainer(classifier)
    isMultiLabel = classifier.isMultiLabel
    self.options = options
    labelBytes = classifier.labels.map { Array($0.utf8) }
    jsonLabels = classifier.labels.map { Array(jsonString($0).utf8) }
    var modelThresholds = [Double](repeating: 0, count: classifier.labels.count)
    if case .oneVsRest(_, let settings) = classifier.estimator {
      modelThresholds = settings.thresholds
    }
    for (index, label) in classifier.labels.enumerated() {
      if let threshold = classifier.decisionThresholds[label] { modelThresholds[index] = threshold }
    }
    thresholds = zip(classifier.labels, modelThresholds).map { options.thresholds[$0] ?? $1 }
    abstainBytes = Array(options.abstainLabel.utf8)
    abstainJSON = Array(jsonString(options.abstainLabel).utf8)
    topK = max(1, min(options.topK, classifier.labels.count))
  }

  /// Writes the marked line of a message that could not be found.
  func appendInvalid(_ problem: String, to output: inout [UInt8]) {
    switch options.format {
    case .tsv:
      output.append(contentsOf: "#error\t".utf8)
      appendField(problem.utf8, to: &output)
    case .jsonl:
      output.append(contentsOf: #"{"error":"#.utf8)
      output.append(contentsOf: jsonString(problem).utf8)
      output.append(0x7D)
    }
  }

  /// Writes the line of one classified message (without its line end).
  @inline(__always)
  func append(
    label: Int, probability: Double, probabilities: UnsafeBufferPointer<Double>,
    text: UnsafeBufferPointer<UInt8>,
    ranking: inout [Int], to output: inout [UInt8]
  ) {
    if isMultiLabel {
      appendLabelSet(
        label: label, probability: probability, probabilities: probabilities, text: text,
        ranking: &ranking, to: &output)
      return
    }
    let abstained = probability < thresholds[label]
    if topK > 1 { rank(probabilities, into: &ranking) }
    switch options.format {
    case .tsv:
      output.append(contentsOf: abstained ? abstainBytes : labelBytes[label])
      output.append(0x09)
      appendProbability(probability, to: &output)
      if topK > 1 {
        for position in 1..<topK {
          output.append(0x09)
          output.append(contentsOf: labelBytes[ranking[position]])
          output.append(0x09)
          appendProbability(probabilities[ranking[position]], to: &output)
        }
      }
      if options.explain > 0 {
        output.append(0x09)
        let reasons = explainer.classifier.explain(
          String(decoding: text, as: UTF8.self), label: label, count: options.explain)
        for (index, reason) in reasons.enumerated() {
          if index > 0 { output.append(contentsOf: "; ".utf8) }
          appendField(reason.feature.utf8, to: &output)
          output.append(contentsOf: "=+".utf8)
          appendDecimal(reason.weight, to: &output)
        }
      }
      if options.withText {
        output.append(0x09)
        appendField(text, to: &output)
      }
    case .jsonl:
      output.append(contentsOf: #"{"label":"#.utf8)
      output.append(contentsOf: abstained ? abstainJSON : jsonLabels[label])
      output.append(contentsOf: #","probability":"#.utf8)
      appendProbability(probability, to: &output)
      if abstained {
        output.append(contentsOf: #","abstained_from":"#.utf8)
        output.append(contentsOf: jsonLabels[label])
      }
      output.append(contentsOf: #","scores":{"#.utf8)
      for (index, name) in jsonLabels.enumerated() {
        if index > 0 { output.append(0x2C) }
        output.append(contentsOf: name)
        output.append(0x3A)
        appendProbability(probabilities[index], to: &output)
      }
      output.append(0x7D)
      if topK > 1 {
        output.append(contentsOf: #","top":["#.utf8)
        for position in 0..<topK {
          if position > 0 { output.append(0x2C) }
          output.append(contentsOf: #"{"label":"#.utf8)
          output.append(contentsOf: jsonLabels[ranking[position]])
          output.append(contentsOf: #","probability":"#.utf8)
          appendProbability(probabilities[ranking[position]], to: &output)
          output.append(0x7D)
        }
        output.append(0x5D)
      }
      if options.explain > 0 {
        output.append(contentsOf: #","explain":["#.utf8)
        let reasons = explainer.classifier.explain(
          String(decoding: text, as: UTF8.self), label: label, count: options.explain)
        for (index, reason) in reasons.enumerated() {
          if index > 0 { output.append(0x2C) }
          output.append(contentsOf: #"{"feature":"#.utf8)
          output.append(contentsOf: jsonString(reason.feature).utf8)
          output.append(contentsOf: #","weight":"#.utf8)
          appendDecimal(reason.weight, to: &output)
          output.append(0x7D)
        }
        output.append(0x5D)
      }
      if options.withText {
        output.append(contentsOf: #","text":"#.utf8)
        output.append(contentsOf: jsonString(String(decoding: text, as: UTF8.self)).utf8)
      }
      output.append(0x7D)
    }
  }

  /// Writes the line of a multi-label model: every label at or above its threshold, most
  /// probable first (TSV: `spam,fraud<TAB>0.9731,0.8120`; JSON: `labels` and `probabilities`),
  /// or the abstain label with the best probability when none is.
  private func appendLabelSet(
    label: Int, probability: Double, probabilities: UnsafeBufferPointer<Double>,
    text: UnsafeBufferPointer<UInt8>,
    ranking: inout [Int], to output: inout [UInt8]
  ) {
    // The labels that pass, by decreasing probability (insertion sort: there are few).
    if ranking.count < probabilities.count {
      ranking = [Int](repeating: 0, count: probabilities.count)
    }
    var passed = 0
    for c in 0..<probabilities.count where probabilities[c] >= thresholds[c] {
      var position = passed
      while position > 0 && probabilities[ranking[position - 1]] < probabilities[c] {
        ranking[position] = ranking[position - 1]
        position -= 1
      }
      ranking[position] = c
      passed += 1
    }
    switch options.format {
    case .tsv:
      if passed == 0 {
        output.append(contentsOf: abstainBytes)
        output.append(0x09)
        appendProbability(probability, to: &output)
      } else {
        for position in 0..<passed {
          if position > 0 { output.append(0x2C) }
          output.append(contentsOf: labelBytes[ranking[position]])
        }
        output.append(0x09)
        for position in 0..<passed {
          if position > 0 { output.append(0x2C) }
          appendProbability(probabilities[ranking[position]], to: &output)
        }
      }
      if options.withText {
        output.append(0x09)
        appendField(text, to: &output)
      }
    case .jsonl:
      output.append(contentsOf: #"{"labels":["#.utf8)
      for position in 0..<passed {
        if position > 0 { output.append(0x2C) }
        output.append(contentsOf: jsonLabels[ranking[position]])
      }
      output.append(contentsOf: #"],"probabilities":["#.utf8)
      for position in 0..<passed {
        if position > 0 { output.append(0x2C) }
        appendProbability(probabilities[ranking[position]], to: &output)
      }
      output.append(contentsOf: #"],"scores":{"#.utf8)
      for (index, name) in jsonLabels.enumerated() {
        if index > 0 { output.append(0x2C) }
        output.append(contentsOf: name)
        output.append(0x3A)
        appendProbability(probabilities[index], to: &output)
      }
      output.append(0x7D)
      if options.withText {
        output.append(contentsOf: #","text":"#.utf8)
        output.append(contentsOf: jsonString(String(decoding: text, as: UTF8.self)).utf8)
      }
      output.append(0x7D)
    }
  }

  /// The label indices by decreasing probability (the lower index first on a tie), in the
  /// first ``topK`` places of `ranking`.
  @inline(__always)
  private func rank(_ probabilities: UnsafeBufferPointer<Double>, into ranking: inout [Int]) {
    let count = probabilities.count
    if ranking.count != count { ranking = Array(0..<count) }
    for i in 0..<count { ranking[i] = i }
    // Partial selection sort: K is small.
    for position in 0..<topK {
      var best = position
      for candidate in (position + 1)..<count {
        let a = probabilities[ranking[candidate]]
        let b = probabilities[ranking[best]]
        if a > b || (a == b && ranking[candidate] < ranking[best]) { best = candidate }
      }
      ranking.swapAt(position, best)
    }
  }
}

/// Writes a probability with four decimals (`0.9731`, `1.0000`), rounding half up.
@inline(__always)
func appendProbability(_ probability: Double, to output: inout [UInt8]) {
  let scaled = Int((min(max(probability, 0), 1) * 10_000).rounded())
  output.append(UInt8(ascii: "0") + UInt8(scaled / 10_000))
  appendFourDecimals(of: scaled, to: &output)
}

/// Writes the point and the last four digits of `scaled`, a number in ten-thousandths.
@inline(__always)
func appendFourDecimals(of scaled: Int, to output: inout [UInt8]) {
  output.append(UInt8(ascii: "."))
  var rest = scaled % 10_000
  var divisor = 1_000
  while divisor > 0 {
    output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
    rest %= divisor
    divisor /= 10
  }
}

/// Writes a number with four decimals (`0.5312`, `12.0000`), for explanations.
func appendDecimal(_ value: Double, to output: inout [UInt8]) {
  let scaled = Int((abs(value) * 10_000).rounded())
  if value < 0 && scaled > 0 { output.append(UInt8(ascii: "-")) }
  output.append(contentsOf: String(scaled / 10_000).utf8)
  appendFourDecimals(of: scaled, to: &output)
}

/// Writes a TSV field's bytes, with tabs and line ends turned into spaces so that the field
/// stays one field of one line.
@inline(__always)
func appendField<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to output: inout [UInt8]) {
  for byte in bytes {
    output.append(byte == 0x09 || byte == 0x0A || byte == 0x0D ? 0x20 : byte)
  }
}
