#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Measures how fast a classifier labels a message file, end to end and stage by stage.
///
/// The end-to-end figure is ``BatchLabeler`` itself, file to `/dev/null`, with the chosen
/// number of workers: the job users run. The stages are then timed one after another on one
/// core over the file held in memory, each by subtraction from the next, so that they add up:
///
/// | stage | what runs |
/// |---|---|
/// | read | the file into memory (from the page cache when it was just read) |
/// | pipeline | normalise, tokenise and hash every line |
/// | score | the pipeline and the scoring, minus the pipeline |
/// | format | the labeller's work on the whole text, minus the pipeline and the scoring |
/// | write | the formatted output to `/dev/null` |
public struct ThroughputReport: Sendable, Codable, Equatable {
  /// One stage's time on one core.
  public struct Stage: Sendable, Codable, Equatable {
    /// The stage's name: `read`, `pipeline`, `score`, `format` or `write`.
    public var name: String
    /// Seconds on one core for the whole file.
    public var seconds: Double
  }

  /// The file measured.
  public var path: String
  /// Lines in the file.
  public var messages: Int
  /// Bytes in the file.
  public var bytes: Int
  /// Workers of the end-to-end run.
  public var threads: Int
  /// Seconds of the end-to-end run (file in, labels out).
  public var seconds: Double
  /// The stages on one core.
  public var stages: [Stage]
  /// The peak resident memory of the end-to-end run, in bytes (model included).
  public var peakResidentBytes: Int

  /// Messages per second, end to end.
  public var messagesPerSecond: Double { Double(messages) / max(seconds, 1e-9) }
  /// Megabytes (10⁶ bytes) per second, end to end.
  public var megabytesPerSecond: Double { Double(bytes) / 1e6 / max(seconds, 1e-9) }
}

/// Runs the measurements of a ``ThroughputReport``.
public enum ThroughputBenchmark {
  /// Labels `path` with `classifier` end to end, then times each stage on one core.
  ///
  /// - Parameters:
  ///   - classifier: The model.
  ///   - path: A message file, one message per line.
  ///   - threads: Workers for the end-to-end run; `nil` for the default.
  ///   - format: The output format, as `crible label` would write it.
  /// - Returns: The measurements.
  /// - Throws: ``CribleError`` when the file cannot be read.
  public static func run(
    classifier: TextClassifier, path: String, threads: Int? = nil,
    format: BatchLabeler.OutputFormat = .tsv
  ) throws(CribleError) -> ThroughputReport {
    let clock = ContinuousClock()
    func seconds(_ duration: Duration) -> Double {
      let (whole, attoseconds) = duration.components
      return Double(whole) + Double(attoseconds) * 1e-18
    }

    let labeler = BatchLabeler(classifier: classifier, threads: threads, format: format)
    var messages = 0
    var start = clock.now
    messages = try labeler.label(inputs: [path], output: "/dev/null")
    let endToEnd = clock.now - start
    let peak = peakResidentBytes()

    var bytes: [UInt8] = []
    start = clock.now
    bytes = try FileIO.readAll(path)
    let read = clock.now - start
    let lines = lineRanges(bytes)

    var workspace = TextClassifier.Workspace()
    let pipeline = bytes.withUnsafeBufferPointer { buffer in
      clock.measure {
        for line in lines {
          classifier.pipeline.extractFeatures(
            utf8: UnsafeBufferPointer(rebasing: buffer[line]), into: &workspace.text)
        }
      }
    }
    let classify = bytes.withUnsafeBufferPointer { buffer in
      clock.measure {
        for line in lines {
          _ = classifier.classify(
            utf8: UnsafeBufferPointer(rebasing: buffer[line]), workspace: &workspace)
        }
      }
    }
    var output: [UInt8] = []
    let label = clock.measure { output = labeler.labelInMemory(bytes) }
    let sink = try OutputSink(path: "/dev/null")
    start = clock.now
    try sink.write(output)
    let write = clock.now - start
    try sink.close()

    return ThroughputReport(
      path: path, messages: messages, bytes: bytes.count, threads: labeler.threads,
      seconds: seconds(endToEnd),
      stages: [
        .init(name: "read", seconds: seconds(read)),
        .init(name: "pipeline", seconds: seconds(pipeline)),
        .init(name: "score", seconds: max(0, seconds(classify) - seconds(pipeline))),
        .init(name: "format", seconds: max(0, seconds(label) - seconds(classify))),
        .init(name: "write", seconds: seconds(write)),
      ],
      peakResidentBytes: peak)
  }

  /// The ranges of the lines of `bytes`, without their line ends (as the labeller cuts them).
  static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    bytes.withUnsafeBufferPointer { forEachLine($0) { ranges.append($0) } }
    return ranges
  }

  #if canImport(Glibc)
    private static let rusageSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
  #else
    private static let rusageSelf = RUSAGE_SELF
  #endif

  /// The peak resident memory of this process so far, in bytes.
  public static func peakResidentBytes() -> Int {
    var usage = rusage()
    guard getrusage(rusageSelf, &usage) == 0 else { return 0 }
    #if canImport(Darwin)
      return Int(usage.ru_maxrss)
    #else
      return Int(usage.ru_maxrss) * 1024
    #endif
  }
}
