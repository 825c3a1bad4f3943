import SystemPackage

/// Labels message files of any size: one message per input line, exactly one output line
/// per input line, in input order.
///
/// The input is read in large blocks cut at line boundaries (chunks). A batch of chunks, one or
/// two per worker, is labelled in parallel, each worker with its own scratch buffers, and the
/// chunks' outputs are then written in order. Memory is bounded by the chunks in flight, not by
/// the size of the input.
///
/// Line ends are `\n`; a `\r` before it is dropped, and a last line without a line end is still
/// a line. Invalid UTF-8 is repaired by the normaliser, so every plain line gets a label. A line
/// whose message cannot be found (a TSV line with too few columns, a JSON line that is not an
/// object with the text member) gets a marked line, `#error<TAB>line N: why` (or a JSON object
/// with an `error` member), never a gap; ``Outcome/invalidLines`` counts them.
public struct BatchLabeler: Sendable {
  /// The classifier.
  public let classifier: TextClassifier
  /// The number of workers.
  public let threads: Int
  /// The target size of one chunk, in bytes.
  public let chunkSize: Int
  /// Where each line's message is.
  public let input: InputFormat
  /// What each output line holds.
  public let output: OutputOptions
  private let writer: RecordWriter
  private let reader: RecordReader

  /// How each output line is written.
  public enum OutputFormat: Sendable {
    /// `label<TAB>probability`, then further columns as the options ask.
    case tsv
    /// One JSON object per line: `{"label":…,"probability":…,"scores":{label: probability, …}}`
    /// and further members as the options ask.
    case jsonl
  }

  /// What each output line holds.
  public struct OutputOptions: Sendable {
    /// TSV or JSON lines.
    public var format: OutputFormat
    /// How many labels to write, most probable first (TSV: `label<TAB>probability` pairs;
    /// JSON: a `top` array).
    public var topK: Int
    /// The least probability at which each label (by name) may be given; below it the
    /// ``abstainLabel`` is written instead.
    public var thresholds: [String: Double]
    /// The label written when the most probable label is below its threshold.
    public var abstainLabel: String
    /// Whether the message's text is carried along (TSV: a last column, with tabs and line
    /// breaks turned into spaces; JSON: a `text` member).
    public var withText: Bool
    /// How many of the features that weighed most toward the label to list (0: none).
    public var explain: Int

    /// Creates options; the defaults write `label<TAB>probability`.
    public init(
      format: OutputFormat = .tsv, topK: Int = 1, thresholds: [String: Double] = [:],
      abstainLabel: String = "abstain", withText: Bool = false, explain: Int = 0
    ) {
      self.format = format
      self.topK = topK
      self.thresholds = thresholds
      self.abstainLabel = abstainLabel
      self.withText = withText
      self.explain = explain
    }
  }

  /// What a labelling run did.
  public struct Outcome: Sendable, Equatable {
    /// Output lines written (one per input line).
    public var lines: Int
    /// Lines whose message could not be found, written as marked lines.
    public var invalidLines: Int
    /// The first such line: its file and line number.
    public var firstInvalid: (file: String, line: Int)?

    /// Whether two outcomes report the same lines.
    public static func == (a: Outcome, b: Outcome) -> Bool {
      a.lines == b.lines && a.invalidLines == b.invalidLines
        && a.firstInvalid?.file == b.firstInvalid?.file
        && a.firstInvalid?.line == b.firstInvalid?.line
    }
  }

  /// Creates a labeller.
  ///
  /// - Parameters:
  ///   - classifier: The model to label with.
  ///   - threads: The number of workers; `nil` for the default (see ``Parallelism``).
  ///   - chunkSize: The target size of a chunk; lines are never split.
  ///   - input: Where each line's message is.
  ///   - output: What each output line holds.
  public init(
    classifier: TextClassifier, threads: Int? = nil, chunkSize: Int = 1 << 20,
    input: InputFormat = .lines, output: OutputOptions = OutputOptions()
  ) {
    precondition(chunkSize > 0, "BatchLabeler: chunkSize must be positive")
    self.classifier = classifier
    self.threads = Parallelism.workerCount(requested: threads)
    self.chunkSize = chunkSize
    self.input = input
    self.output = output
    reader = RecordReader(format: input)
    writer = RecordWriter(classifier: classifier, options: output)
  }

  /// Creates a labeller that writes `format` with the other output options at their defaults.
  public init(
    classifier: TextClassifier, threads: Int? = nil, chunkSize: Int = 1 << 20,
    format: OutputFormat
  ) {
    self.init(
      classifier: classifier, threads: threads, chunkSize: chunkSize,
      output: OutputOptions(format: format))
  }

  /// Labels each input in turn (`-` is standard input) and writes to `output` (standard output
  /// when `nil` or `-`).
  ///
  /// - Parameters:
  ///   - inputs: Files to label in turn; empty or `-` for standard input.
  ///   - output: The file to write, or `nil` or `-` for standard output.
  ///   - progress: Called after each batch with the number of lines labelled so far.
  /// - Returns: The number of lines labelled.
  /// - Throws: ``CribleError`` when an input cannot be read or the output cannot be written.
  @discardableResult
  public func label(
    inputs: [String], output: String?, progress: ((Int) -> Void)? = nil
  ) throws(CribleError) -> Int {
    try run(inputs: inputs, output: output, progress: progress).lines
  }

  /// Labels each input in turn, like ``label(inputs:output:progress:)``, and reports the lines
  /// that could not be read.
  ///
  /// - Parameters:
  ///   - inputs: Files to label in turn; empty or `-` for standard input.
  ///   - output: The file to write, or `nil` or `-` for standard output.
  ///   - progress: Called after each batch with the number of lines labelled so far.
  /// - Returns: The lines written and the invalid ones among them.
  /// - Throws: ``CribleError`` when an input cannot be read or the output cannot be written.
  public func run(
    inputs: [String], output: String?, progress: ((Int) -> Void)? = nil
  ) throws(CribleError) -> Outcome {
    let sink = try OutputSink(path: output)
    var outcome = Outcome(lines: 0, invalidLines: 0)
    for input in inputs.isEmpty ? ["-"] : inputs {
      let descriptor = try FileIO.openForReading(input)
      defer { if input != "-" { try? descriptor.close() } }
      var reader = LineChunkReader(descriptor: descriptor, path: input, chunkSize: chunkSize)
      try label(
        &reader, name: input == "-" ? "standard input" : input, to: sink, outcome: &outcome,
        progress: progress)
    }
    try sink.close()
    return outcome
  }

  /// Labels the lines of an in-memory text (for tests and the library API).
  public func label(text: String) -> String {
    String(decoding: labelInMemory(Array(text.utf8)), as: UTF8.self)
  }

  /// Labels the lines of `bytes` on this thread, returning the output exactly as
  /// ``label(inputs:output:progress:)`` writes it.
  ///
  /// - Parameter bytes: Input lines, as a file would hold them (any bytes).
  /// - Returns: The output lines.
  public func labelInMemory(_ bytes: [UInt8]) -> [UInt8] {
    var slot = Slot()
    slot.input = bytes
    process(&slot)
    return slot.output
  }

  struct Slot {
    var input: [UInt8] = []
    var output: [UInt8] = []
    var lines = 0
    /// The line number, in its file, of the chunk's first line.
    var firstLine = 1
    /// The file name for messages.
    var name = ""
    var invalid = 0
    var firstInvalid = 0
    var workspace = TextClassifier.Workspace()
    var decoded: [UInt8] = []
    var key: [UInt8] = []
    var ranking: [Int] = []
  }

  private func label(
    _ reader: inout LineChunkReader, name: String, to sink: OutputSink, outcome: inout Outcome,
    progress: ((Int) -> Void)?
  ) throws(CribleError) {
    let slotCount = threads == 1 ? 1 : threads * 2
    var slots = [Slot](repeating: Slot(), count: slotCount)
    var lineInFile = 1
    while true {
      var filled = 0
      while filled < slotCount, try reader.next(into: &slots[filled].input) {
        slots[filled].name = name
        filled += 1
      }
      if filled == 0 { break }
      // Line numbers, for the marked lines: each chunk holds whole lines. (Plain lines are
      // never invalid, so they skip the count.)
      for index in 0..<filled where input != .lines {
        slots[index].firstLine = lineInFile
        lineInFile += Self.lineCount(slots[index].input)
      }
      slots.withUnsafeMutableBufferPointer { slots in
        Parallelism.forEach(filled) { index in process(&slots[index]) }
      }
      for index in 0..<filled {
        try sink.write(slots[index].output)
        outcome.lines += slots[index].lines
        if slots[index].invalid > 0 {
          if outcome.firstInvalid == nil {
            outcome.firstInvalid = (name, slots[index].firstInvalid)
          }
          outcome.invalidLines += slots[index].invalid
        }
      }
      progress?(outcome.lines)
    }
  }

  /// The number of lines in a chunk.
  static func lineCount(_ bytes: [UInt8]) -> Int {
    var count = 0
    bytes.withUnsafeBufferPointer { forEachLine($0) { _ in count += 1 } }
    return count
  }

  /// Labels every line of `slot.input` into `slot.output`.
  private func process(_ slot: inout Slot) {
    slot.output.removeAll(keepingCapacity: true)
    slot.lines = 0
    slot.invalid = 0
    slot.input.withUnsafeBufferPointer { input in
      forEachLine(input) { range in
        let line = UnsafeBufferPointer(rebasing: input[range])
        switch reader.message(in: line, scratch: &slot.decoded, keyScratch: &slot.key) {
        case .range(let range):
          let text = UnsafeBufferPointer(rebasing: line[range])
          labelOne(text, &slot)
        case .decoded:
          let decoded = slot.decoded
          decoded.withUnsafeBufferPointer { labelOne($0, &slot) }
        case .invalid(let problem):
          if slot.invalid == 0 { slot.firstInvalid = slot.firstLine + slot.lines }
          slot.invalid += 1
          writer.appendInvalid(
            "line \(slot.firstLine + slot.lines) of \(slot.name): \(problem)", to: &slot.output)
        }
        slot.output.append(0x0A)
        slot.lines += 1
      }
    }
  }

  @inline(__always)
  private func labelOne(_ text: UnsafeBufferPointer<UInt8>, _ slot: inout Slot) {
    let (label, probability) = classifier.classify(utf8: text, workspace: &slot.workspace)
    slot.workspace.probabilities.withUnsafeBufferPointer { probabilities in
      writer.append(
        label: label, probability: probability, probabilities: probabilities, text: text,
        ranking: &slot.ranking, to: &slot.output)
    }
  }
}

/// Calls `body` with the range of each line of `bytes`, without its line end.
///
/// Lines end at `\n`; a `\r` before it is dropped, and a last line without a line end is
/// still a line. Every reader of message lines (the labeller, the benchmark) cuts them here.
@inline(__always)
func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
  var start = 0
  let count = bytes.count
  while start < count {
    var end = start
    while end < count && bytes[end] != 0x0A { end += 1 }
    let contentEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
    body(start..<contentEnd)
    start = end + 1
  }
}

/// Reads a file in chunks that end at a line boundary.
struct LineChunkReader {
  let descriptor: FileDescriptor
  let path: String
  let chunkSize: Int
  private var carry: [UInt8] = []
  private var block: [UInt8]
  private var atEnd = false

  init(descriptor: FileDescriptor, path: String, chunkSize: Int) {
    self.descriptor = descriptor
    self.path = path
    self.chunkSize = chunkSize
    block = [UInt8](repeating: 0, count: max(chunkSize, 1 << 16))
  }

  /// Fills `chunk` with the next whole lines (at least `chunkSize` bytes unless the input ends
  /// first); returns false when the input is exhausted.
  mutating func next(into chunk: inout [UInt8]) throws(CribleError) -> Bool {
    chunk.removeAll(keepingCapacity: true)
    swap(&chunk, &carry)
    while !atEnd {
      if chunk.count >= chunkSize, let lastNewline = chunk.lastIndex(of: 0x0A) {
        carry.append(contentsOf: chunk[(lastNewline + 1)...])
        chunk.removeSubrange((lastNewline + 1)...)
        return true
      }
      let count: Int
      do {
        count = try block.withUnsafeMutableBytes { try descriptor.read(into: $0) }
      } catch {
        throw CribleError(.ioFailure, "Reading \(path) failed: \(FileIO.describe(error)).")
      }
      if count == 0 {
        atEnd = true
      } else {
        chunk.append(contentsOf: block[0..<count])
      }
    }
    return !chunk.isEmpty
  }
}

/// `text` as a JSON string literal, with quotes, backslashes and control characters escaped.
func jsonString(_ text: String) -> String {
  var result = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\t": result += "\\t"
    case "\r": result += "\\r"
    case _ where scalar.value < 0x20:
      let hex = String(scalar.value, radix: 16)
      result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    default: result.unicodeScalars.append(scalar)
    }
  }
  return result + "\""
}
