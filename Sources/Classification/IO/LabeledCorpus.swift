/// A labelled corpus held in memory: one example per line, as `label<TAB>text` or in
/// fastText's `__label__name text` format.
///
/// The file's bytes are kept as they are and each example points into them, so loading a corpus
/// costs one read and one pass. Labels are numbered in sorted order, as scikit-learn's
/// `classes_` are, unless a model's label set is given.
public struct LabeledCorpus: Sendable {
  /// The line format of a corpus file.
  public enum Format: String, Sendable, CaseIterable, Codable {
    /// Decide from the first non-empty line: `__label__` at its start means fastText, a tab means TSV.
    case auto
    /// `label<TAB>text`.
    case tsv
    /// `__label__label text`, as fastText reads.
    case fasttext
  }

  struct Example: Sendable {
    var label: Int32
    var line: Int32
    var start: Int
    var end: Int
  }

  /// Where the corpus came from, for messages.
  public let source: String
  /// The format the lines were read in (never ``Format/auto``).
  public let format: Format
  /// The labels, numbered by position.
  public let labels: [String]
  let bytes: [UInt8]
  let examples: [Example]

  /// The number of examples.
  public var count: Int { examples.count }

  /// The label index of example `index`.
  public func label(at index: Int) -> Int { Int(examples[index].label) }

  /// The line number (one-based) of example `index` in its file.
  public func lineNumber(at index: Int) -> Int { Int(examples[index].line) }

  /// The text of example `index`.
  public func text(at index: Int) -> String {
    withText(at: index) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the UTF-8 bytes of example `index`'s text.
  public func withText<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows
    -> R
  {
    let example = examples[index]
    return try bytes.withUnsafeBufferPointer {
      try body(UnsafeBufferPointer(rebasing: $0[example.start..<example.end]))
    }
  }

  /// The number of examples of each label.
  public var labelCounts: [Int] {
    var counts = [Int](repeating: 0, count: labels.count)
    for example in examples { counts[Int(example.label)] += 1 }
    return counts
  }

  /// Reads a corpus file.
  ///
  /// - Parameters:
  ///   - path: The file, or `-` for standard input.
  ///   - format: The line format, or ``Format/auto`` to detect it.
  ///   - labels: The label set to number labels by (a model's); a label outside it is an error.
  ///     When `nil`, the labels are those of the file, sorted.
  /// - Returns: The corpus.
  /// - Throws: ``CribleError`` naming the file and line of the first malformed line.
  public static func load(path: String, format: Format = .auto, labels: [String]? = nil)
    throws(CribleError) -> LabeledCorpus
  {
    try LabeledCorpus(bytes: FileIO.readAll(path), source: path, format: format, labels: labels)
  }

  /// Builds a corpus from texts and their labels in memory.
  ///
  /// - Throws: ``CribleError`` when a label is empty or contains a tab or line break, or a text
  ///   contains a line break.
  public init(texts: [String], labels textLabels: [String], labelSet: [String]? = nil)
    throws(CribleError)
  {
    precondition(
      texts.count == textLabels.count,
      "LabeledCorpus(texts:labels:): \(texts.count) texts but \(textLabels.count) labels")
    var bytes: [UInt8] = []
    for (text, label) in zip(texts, textLabels) {
      if label.isEmpty || label.contains(where: { $0 == "\t" || $0.isNewline }) {
        throw CribleError(
          .badData, "The label \"\(label)\" is empty or contains a tab or a line break.")
      }
      if text.contains(where: \.isNewline) {
        throw CribleError(
          .badData, "A text labelled \(label) contains a line break; give one message per text.")
      }
      bytes.append(contentsOf: label.utf8)
      bytes.append(0x09)
      bytes.append(contentsOf: text.utf8)
      bytes.append(0x0A)
    }
    try self.init(bytes: bytes, source: "memory", format: .tsv, labels: labelSet)
  }

  init(
    bytes: [UInt8], source: String, format requested: Format, labels labelSet: [String]?,
    firstLine: Int = 1, allowEmpty: Bool = false
  ) throws(CribleError) {
    var lines: [(Range<Int>, Int)] = []
    var format = requested
    bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      // A UTF-8 byte-order mark says nothing about the first example.
      if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
        start = 3
      }
      var lineNumber = firstLine
      while start < buffer.count {
        var end = start
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        var contentEnd = end
        if contentEnd > start && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        lines.append((start..<contentEnd, lineNumber))
        start = end + 1
        lineNumber += 1
      }
    }
    let isBlank: (Range<Int>) -> Bool = { range in
      range.allSatisfy { bytes[$0] == 0x20 || bytes[$0] == 0x09 }
    }
    if format == .auto {
      guard let (first, number) = lines.first(where: { !isBlank($0.0) }) else {
        throw CribleError(
          .badData, "\(source) has no examples: it is empty or has only blank lines.")
      }
      if bytes[first].starts(with: Self.fastTextPrefix) {
        format = .fasttext
      } else if bytes[first].contains(0x09) {
        format = .tsv
      } else {
        throw CribleError(
          .badData,
          "Cannot tell the format of \(source): line \(number) has neither a tab (label<TAB>text) nor a __label__ prefix (fastText). Fix the line or give --format tsv or --format fasttext."
        )
      }
    }
    var labelNumbers: [String: Int32] = [:]
    if let labelSet {
      for (index, label) in labelSet.enumerated() { labelNumbers[label] = Int32(index) }
    }
    var parsed: [(label: String, line: Int, text: Range<Int>)] = []
    parsed.reserveCapacity(lines.count)
    for (range, number) in lines where !isBlank(range) {
      let (label, text) = try Self.parse(bytes, range, format: format, source: source, line: number)
      parsed.append((label, number, text))
    }
    if parsed.isEmpty && !allowEmpty {
      throw CribleError(.badData, "\(source) has no examples: it is empty or has only blank lines.")
    }
    let labels: [String]
    if let labelSet {
      labels = labelSet
      for entry in parsed where labelNumbers[entry.label] == nil {
        throw CribleError(
          .badData,
          "Line \(entry.line) of \(source) has the label \"\(entry.label)\", which the model does not know (it knows \(labelSet.joined(separator: ", "))). Evaluate on data with the model's labels."
        )
      }
    } else {
      labels = Set(parsed.map(\.label)).sorted()
      for (index, label) in labels.enumerated() { labelNumbers[label] = Int32(index) }
    }
    self.source = source
    self.format = format
    self.labels = labels
    self.bytes = bytes
    // Every parsed label is in `labelNumbers`: checked above, or built from them.
    self.examples = parsed.map {
      Example(
        label: labelNumbers[$0.label] ?? 0, line: Int32(clamping: $0.line),
        start: $0.text.lowerBound,
        end: $0.text.upperBound)
    }
  }

  static let fastTextPrefix = Array("__label__".utf8)

  private static func parse(
    _ bytes: [UInt8], _ range: Range<Int>, format: Format, source: String, line: Int
  ) throws(CribleError) -> (String, Range<Int>) {
    switch format {
    case .tsv, .auto:
      guard let tab = bytes[range].firstIndex(of: 0x09) else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has no tab: each line must be label<TAB>text. Fix the line, or give --format fasttext if the file uses __label__ prefixes."
        )
      }
      let label = trimmed(bytes, range.lowerBound..<tab)
      guard !label.isEmpty else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has an empty label before its tab. Give every line a label.")
      }
      let text = tab + 1..<range.upperBound
      guard !trimmed(bytes, text).isEmpty else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has an empty text after its tab. Remove the line or give it a text."
        )
      }
      return (String(decoding: bytes[label], as: UTF8.self), text)
    case .fasttext:
      var labels: [String] = []
      var position = range.lowerBound
      while position < range.upperBound && bytes[position...].starts(with: fastTextPrefix) {
        var end = position
        while end < range.upperBound && bytes[end] != 0x20 && bytes[end] != 0x09 { end += 1 }
        labels.append(
          String(decoding: bytes[(position + fastTextPrefix.count)..<end], as: UTF8.self))
        position = end
        while position < range.upperBound && (bytes[position] == 0x20 || bytes[position] == 0x09) {
          position += 1
        }
      }
      guard let label = labels.first, !label.isEmpty else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) does not start with a __label__name prefix. Fix the line, or give --format tsv if the file is label<TAB>text."
        )
      }
      guard labels.count == 1 else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has \(labels.count) labels (\(labels.joined(separator: ", "))); Crible trains single-label models, so give each line one label."
        )
      }
      guard position < range.upperBound else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has a label but no text. Remove the line or give it a text.")
      }
      return (label, position..<range.upperBound)
    }
  }

  private static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper && bytes[lower] == 0x20 { lower += 1 }
    while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09) { upper -= 1 }
    return lower..<upper
  }
}
