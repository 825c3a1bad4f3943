import ArgumentParser
import Classification

/// The `crible` command: train, evaluate and run text classifiers for messaging text.
@main
struct Crible: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crible",
    abstract: "Screen Chinese and French messages: train, evaluate and run text classifiers.",
    discussion: """
      Exit status: 0 success; 64 bad options; 65 bad input data (a malformed line); 66 an input \
      file cannot be opened; 67 the model file is not a valid Crible model; 73 an output file \
      cannot be written; 74 reading failed.
      """,
    version: CribleVersion.current,
    subcommands: [
      Train.self, Evaluate.self, Label.self, Info.self, Tokenize.self, Features.self, Bench.self,
      Quantize.self, CrossValidate.self, Tune.self, Merge.self,
    ]
  )

  /// Runs the command line, with OpenBLAS's thread pool kept out of the way first.
  static func main() {
    OpenBLASEnvironment.ensureSingleThreaded()
    main(nil)
  }
}
