/// A labelled corpus held in memory: one example per line, as `label<TAB>text` or in
/// fastText's `__label__name text` format.
///
/// The file's bytes are kept as they are and each example points into them, so loading a corpus
/// costs one read and one pass. Labels are numbered in sorted order, as scikit-learn's
/// `classes_` are, unless a model's label set is given.
///
/// Read as multi-label data (`multiLabel: true`), a line may carry several labels:
/// `spam,fraud<TAB>text`, or `__label__spam __label__fraud text`.
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
  /// Multi-label data: example `i`'s labels are `labelMembers[labelOffsets[i]..<labelOffsets[i + 1]]`
  /// (in increasing order); empty for single-label data.
  let labelOffsets: [Int]
  let labelMembers: [Int32]

  /// Malformed lines skipped while reading (with `skipInvalid`).
  public let skippedLines: Int
  /// Why the first skipped line was skipped.
  public let firstSkipped: String?

  /// Whether the corpus was read as multi-label data.
  public var isMultiLabel: Bool { !labelOffsets.isEmpty }

  /// The label indices of example `index`, in increasing order: one for single-label data.
  public func labelSet(at index: Int) -> [Int] {
    guard isMultiLabel else { return [Int(examples[index].label)] }
    return labelMembers[labelOffsets[index]..<labelOffsets[index + 1]].map(Int.init)
  }

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

  /// The examples at `indices`, in that order, with this corpus's labels (no text is copied).
  ///
  /// - Parameter indices: Example indices, each `< count`.
  /// - Returns: The sub-corpus.
  public func subset(_ indices: [Int]) -> LabeledCorpus {
    var offsets: [Int] = []
    var members: [Int32] = []
    if isMultiLabel {
      offsets = [0]
      for index in indices {
        members.append(contentsOf: labelMembers[labelOffsets[index]..<labelOffsets[index + 1]])
        offsets.append(members.count)
      }
    }
    return LabeledCorpus(
      source: source, format: format, labels: labels, bytes: bytes,
      examples: indices.map { examples[$0] }, labelOffsets: offsets, labelMembers: members)
  }

  private init(
    source: String, format: Format, labels: [String], bytes: [UInt8], examples: [Example],
    labelOffsets: [Int], labelMembers: [Int32]
  ) {
    self.source = source
    self.format = format
    self.labels = labels
    self.bytes = bytes
    self.examples = examples
    self.labelOffsets = labelOffsets
    self.labelMembers = labelMembers
    skippedLines = 0
    firstSkipped = nil
  }

  /// The number of examples of each label (for multi-label data, that carry each label).
  public var labelCounts: [Int] {
    var counts = [Int](repeating: 0, count: labels.count)
    if isMultiLabel {
      for member in labelMembers { counts[Int(member)] += 1 }
    } else {
      for example in examples { counts[Int(example.label)] += 1 }
    }
    return counts
  }

  /// Reads a corpus file.
  ///
  /// - Parameters:
  ///   - path: The file, or `-` for standard input.
  ///   - format: The line format, or ``Format/auto`` to detect it.
  ///   - labels: The label set to number labels by (a model's); a label outside it is an error.
  ///     When `nil`, the labels are those of the file, sorted.
  ///   - multiLabel: Whether a line may carry several labels (comma-separated in TSV, several
  ///     `__label__` prefixes in fastText's format).
  ///   - skipInvalid: Skip malformed lines (and, with `labels`, lines of other labels) and count
  ///     them in ``skippedLines`` instead of failing.
  /// - Returns: The corpus.
  /// - Throws: ``CribleError`` naming the file and line of the first malformed line.
  public static func load(
    path: String, format: Format = .auto, labels: [String]? = nil, multiLabel: Bool = false,
    skipInvalid: Bool = false
  ) throws(CribleError) -> LabeledCorpus {
    try LabeledCorpus(
      bytes: FileIO.readAll(path), source: path, format: format, labels: labels,
      multiLabel: multiLabel, skipInvalid: skipInvalid)
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

  /// Reads a corpus from the bytes of a file.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - source: The file's name, for messages.
  ///   - format: The line format, or ``Format/auto`` to detect it.
  ///   - labels: The label set to number labels by; `nil` for the file's labels, sorted.
  ///   - multiLabel: Whether a line may carry several labels.
  /// - Throws: ``CribleError`` naming the line of the first malformed line.
  public init(
    bytes: [UInt8], source: String, format: Format = .auto, labels: [String]? = nil,
    multiLabel: Bool
  ) throws(CribleError) {
    try self.init(
      bytes: bytes, source: source, format: format, labels: labels, firstLine: 1,
      allowEmpty: false, multiLabel: multiLabel)
  }

  init(
    bytes: [UInt8], source: String, format requested: Format, labels labelSet: [String]?,
    firstLine: Int = 1, allowEmpty: Bool = false, multiLabel: Bool = false,
    skipInvalid: Bool = false
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
    var sets: [[String]] = []
    parsed.reserveCapacity(lines.count)
    var skipped = 0
    var firstSkipped: String?
    for (range, number) in lines where !isBlank(range) {
      do throws(CribleError) {
        let (names, text) = try Self.parse(
          bytes, range, format: format, source: source, line: number, multiLabel: multiLabel)
        if skipInvalid, let labelSet, let unknown = names.first(where: { !labelSet.contains($0) }) {
          throw CribleError(
            .badData,
            "Line \(number) of \(source) has the label \"\(unknown)\", which the model does not know."
          )
        }
        parsed.append((names[0], number, text))
        if multiLabel { sets.append(names) }
      } catch {
        guard skipInvalid else { throw error }
        skipped += 1
        if firstSkipped == nil { firstSkipped = error.message }
      }
    }
    self.skippedLines = skipped
    self.firstSkipped = firstSkipped
    if parsed.isEmpty && !allowEmpty {
      throw CribleError(.badData, "\(source) has no examples: it is empty or has only blank lines.")
    }
    let labels: [String]
    if let labelSet {
      labels = labelSet
      for (position, entry) in parsed.enumerated() {
        for name in multiLabel ? sets[position] : [entry.label] where labelNumbers[name] == nil {
          throw CribleError(
            .badData,
            "Line \(entry.line) of \(source) has the label \"\(name)\", which the model does not know (it knows \(labelSet.joined(separator: ", "))). Evaluate on data with the model's labels."
          )
        }
      }
    } else {
      labels = Set(multiLabel ? sets.joined().map { $0 } : parsed.map(\.label)).sorted()
      for (index, label) in labels.enumerated() { labelNumbers[label] = Int32(index) }
    }
    var offsets: [Int] = []
    var members: [Int32] = []
    if multiLabel {
      offsets.reserveCapacity(sets.count + 1)
      offsets.append(0)
      for names in sets {
        members.append(contentsOf: names.compactMap { labelNumbers[$0] }.sorted())
        offsets.append(members.count)
      }
    }
    self.labelOffsets = offsets
    self.labelMembers = members
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

  /// The labels (deduplicated, in the line's order) and the text of one line.
  private static func parse(
    _ bytes: [UInt8], _ range: Range<Int>, format: Format, source: String, line: Int,
    multiLabel: Bool
  ) throws(CribleError) -> ([String], Range<Int>) {
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
      let field = String(decoding: bytes[label], as: UTF8.self)
      guard multiLabel else { return ([field], text) }
      var names: [String] = []
      for part in field.split(separator: ",", omittingEmptySubsequences: false) {
        var trimmed = part.drop { $0 == " " }
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        let name = String(trimmed)
        guard !name.isEmpty else {
          throw CribleError(
            .badData,
            "Line \(line) of \(source) has an empty label in \"\(field)\". Separate labels with single commas."
          )
        }
        if !names.contains(name) { names.append(name) }
      }
      return (names, text)
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
      guard labels.count == 1 || multiLabel else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has \(labels.count) labels (\(labels.joined(separator: ", "))); give each line one label, or train a multi-label model with --multi-label."
        )
      }
      guard labels.allSatisfy({ !$0.isEmpty }) else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has an empty __label__ prefix. Give every label a name.")
      }
      var distinct: [String] = []
      for label in labels where !distinct.contains(label) { distinct.append(label) }
      guard position < range.upperBound else {
        throw CribleError(
          .badData,
          "Line \(line) of \(source) has a label but no text. Remove the line or give it a text.")
      }
      _ = label
      return (distinct, position..<range.upperBound)
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
