import ArgumentParser
import Classification
import Foundation

/// `crible bench`: how fast a model labels a message file, end to end and by stage.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure labelling throughput: messages per second, MB/s, stages, peak memory.",
    discussion: """
      First labels the file end to end as `crible label` does (to /dev/null, with --threads \
      workers), then times each stage on one core over the file held in memory: read, pipeline \
      (normalise, tokenise, hash), score, format, write. Run it twice and compare: this measures \
      a machine as it is at that moment.
      """)

  @Option(name: .shortAndLong, help: "The model file.")
  var model: String

  @Argument(help: "A message file, one message per line.")
  var file: String

  @Flag(help: "Time the JSON-lines output instead of label<TAB>probability.")
  var jsonl = false

  @Flag(help: "Print one JSON object.")
  var json = false

  @OptionGroup var threading: ThreadOptions

  struct Output: Encodable {
    var model: String
    var file: String
    var messages: Int
    var bytes: Int
    var threads: Int
    var seconds: Double
    var messagesPerSecond: Double
    var megabytesPerSecond: Double
    var peakResidentBytes: Int
    var modelBytes: Int
    var stages: [String: Double]

    enum CodingKeys: String, CodingKey {
      case model, file, messages, bytes, threads, seconds, stages
      case messagesPerSecond = "messages_per_second"
      case megabytesPerSecond = "megabytes_per_second"
      case peakResidentBytes = "peak_resident_bytes"
      case modelBytes = "model_bytes"
    }
  }

  func run() throws {
    try reportingFailures { () throws(CribleError) in
      let classifier = try ModelFile.load(path: model)
      let report = try ThroughputBenchmark.run(
        classifier: classifier, path: file, threads: threading.threads,
        format: jsonl ? .jsonl : .tsv)
      let modelBytes =
        (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0
      if json {
        let output = Output(
          model: model, file: file, messages: report.messages, bytes: report.bytes,
          threads: report.threads, seconds: report.seconds,
          messagesPerSecond: report.messagesPerSecond,
          megabytesPerSecond: report.megabytesPerSecond,
          peakResidentBytes: report.peakResidentBytes, modelBytes: modelBytes,
          stages: Dictionary(uniqueKeysWithValues: report.stages.map { ($0.name, $0.seconds) }))
        print(jsonText(output))
        return
      }
      let megabytes = Double(report.bytes) / 1e6
      print(
        "\(report.messages) messages, \(String(format: "%.1f", megabytes)) MB, \(report.threads) thread\(report.threads == 1 ? "" : "s"): \(String(format: "%.3f", report.seconds)) s"
      )
      print(
        "  \(String(format: "%.0f", report.messagesPerSecond)) messages/s, \(String(format: "%.1f", report.megabytesPerSecond)) MB/s, peak memory \(String(format: "%.1f", Double(report.peakResidentBytes) / 1_048_576)) MiB (model file \(String(format: "%.1f", Double(modelBytes) / 1_048_576)) MiB)"
      )
      print("stages on one core:")
      let total = report.stages.reduce(0) { $0 + $1.seconds }
      for stage in report.stages {
        let rate = stage.seconds > 0 ? megabytes / stage.seconds : .infinity
        print(
          "  \(stage.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%7.3f", stage.seconds)) s  \(String(format: "%5.1f", 100 * stage.seconds / max(total, 1e-9)))%  \(String(format: "%8.1f", rate)) MB/s"
        )
      }
    }
  }
}
