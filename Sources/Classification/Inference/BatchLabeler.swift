import SystemPackage

/// Labels message files of any size: one message per input line, exactly one output line
/// (`label<TAB>probability`) per input line, in input order.
///
/// The input is read in large blocks cut at line boundaries (chunks). A batch of chunks, one or
/// two per worker, is labelled in parallel, each worker with its own scratch buffers, and the
/// chunks' outputs are then written in order. Memory is bounded by the chunks in flight, not by
/// the size of the input.
///
/// Line ends are `\n`; a `\r` before it is dropped, and a last line without a line end is still
/// a line. Invalid UTF-8 is repaired by the normaliser, so every line gets a label.
public struct BatchLabeler: Sendable {
  /// The classifier.
  public let classifier: TextClassifier
  /// The number of workers.
  public let threads: Int
  /// The target size of one chunk, in bytes.
  public let chunkSize: Int
  /// The UTF-8 bytes of each label, ready to copy into the output.
  private let labelBytes: [[UInt8]]

  /// Creates a labeller.
  ///
  /// - Parameters:
  ///   - classifier: The model to label with.
  ///   - threads: The number of workers; `nil` for the default (see ``Parallelism``).
  ///   - chunkSize: The target size of a chunk; lines are never split.
  ///   - format: How each output line is written.
  public init(
    classifier: TextClassifier, threads: Int? = nil, chunkSize: Int = 1 << 20,
    format: OutputFormat = .tsv
  ) {
    precondition(chunkSize > 0, "BatchLabeler: chunkSize must be positive")
    self.classifier = classifier
    self.threads = Parallelism.workerCount(requested: threads)
    self.chunkSize = chunkSize
    self.format = format
    labelBytes = classifier.labels.map { Array($0.utf8) }
    jsonLabels = classifier.labels.map { Array(jsonString($0).utf8) }
  }

  /// How each output line is written.
  public enum OutputFormat: Sendable {
    /// `label<TAB>probability`.
    case tsv
    /// One JSON object per line: `{"label":…,"probability":…,"scores":{label: probability, …}}`.
    case jsonl
  }

  /// How each output line is written.
  public let format: OutputFormat
  /// Each label as a JSON string literal, quotes included.
  private let jsonLabels: [[UInt8]]

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
    let sink = try OutputSink(path: output)
    var lines = 0
    for input in inputs.isEmpty ? ["-"] : inputs {
      let descriptor = try FileIO.openForReading(input)
      defer { if input != "-" { try? descriptor.close() } }
      var reader = LineChunkReader(descriptor: descriptor, path: input, chunkSize: chunkSize)
      lines += try label(&reader, to: sink, linesSoFar: lines, progress: progress)
    }
    try sink.close()
    return lines
  }

  /// Labels the lines of an in-memory text (for tests and the library API).
  public func label(text: String) -> String {
    var output: [UInt8] = []
    var slot = Slot()
    var bytes = Array(text.utf8)
    slot.input = bytes
    process(&slot)
    output.append(contentsOf: slot.output)
    bytes.removeAll()
    return String(decoding: output, as: UTF8.self)
  }

  /// Labels the lines of `bytes` on this thread, returning the output exactly as ``label(inputs:output:progress:)`` writes it.
  func labelInMemory(_ bytes: [UInt8]) -> [UInt8] {
    var slot = Slot()
    slot.input = bytes
    process(&slot)
    return slot.output
  }

  struct Slot {
    var input: [UInt8] = []
    var output: [UInt8] = []
    var lines = 0
    var workspace = TextClassifier.Workspace()
  }

  private func label(
    _ reader: inout LineChunkReader, to sink: OutputSink, linesSoFar: Int,
    progress: ((Int) -> Void)?
  ) throws(CribleError) -> Int {
    let slotCount = threads == 1 ? 1 : threads * 2
    var slots = [Slot](repeating: Slot(), count: slotCount)
    var lines = 0
    while true {
      var filled = 0
      while filled < slotCount, try reader.next(into: &slots[filled].input) { filled += 1 }
      if filled == 0 { break }
      slots.withUnsafeMutableBufferPointer { slots in
        Parallelism.forEach(filled) { index in process(&slots[index]) }
      }
      for index in 0..<filled {
        try sink.write(slots[index].output)
        lines += slots[index].lines
      }
      progress?(linesSoFar + lines)
    }
    return lines
  }

  /// Labels every line of `slot.input` into `slot.output`.
  private func process(_ slot: inout Slot) {
    slot.output.removeAll(keepingCapacity: true)
    slot.lines = 0
    slot.input.withUnsafeBufferPointer { input in
      var start = 0
      let count = input.count
      while start < count {
        var end = start
        while end < count && input[end] != 0x0A { end += 1 }
        var contentEnd = end
        if contentEnd > start && input[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        let (label, probability) = classifier.classify(
          utf8: UnsafeBufferPointer(rebasing: input[start..<contentEnd]), workspace: &slot.workspace
        )
        switch format {
        case .tsv:
          slot.output.append(contentsOf: labelBytes[label])
          slot.output.append(0x09)
          appendProbability(probability, to: &slot.output)
        case .jsonl:
          slot.output.append(contentsOf: #"{"label":"#.utf8)
          slot.output.append(contentsOf: jsonLabels[label])
          slot.output.append(contentsOf: #","probability":"#.utf8)
          appendProbability(probability, to: &slot.output)
          slot.output.append(contentsOf: #","scores":{"#.utf8)
          for (index, name) in jsonLabels.enumerated() {
            if index > 0 { slot.output.append(0x2C) }
            slot.output.append(contentsOf: name)
            slot.output.append(0x3A)
            appendProbability(slot.workspace.probabilities[index], to: &slot.output)
          }
          slot.output.append(contentsOf: "}}".utf8)
        }
        slot.output.append(0x0A)
        slot.lines += 1
        start = end + 1
      }
    }
  }
}

/// Writes a probability with four decimals (`0.9731`, `1.0000`), rounding half up.
@inline(__always)
func appendProbability(_ probability: Double, to output: inout [UInt8]) {
  let scaled = Int((min(max(probability, 0), 1) * 10_000).rounded())
  output.append(UInt8(ascii: "0") + UInt8(scaled / 10_000))
  output.append(UInt8(ascii: "."))
  var rest = scaled % 10_000
  var divisor = 1_000
  while divisor > 0 {
    output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
    rest %= divisor
    divisor /= 10
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
