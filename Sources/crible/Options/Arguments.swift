import ArgumentParser
import Classification
import Tokenization

extension LabeledCorpus.Format: ExpressibleByArgument {}
extension Algorithm: ExpressibleByArgument {}
extension FeatureWeighting.TermFrequency: ExpressibleByArgument {}
extension TextPipeline.Language: ExpressibleByArgument {}

/// An n-gram length range written `1-2`, `2-4` or `1`.
struct LengthRange: ExpressibleByArgument, CustomStringConvertible {
  var range: ClosedRange<Int>

  init(_ range: ClosedRange<Int>) { self.range = range }

  init?(argument: String) {
    let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let first = parts.first, let last = parts.last,
      let low = Int(first), let high = Int(last), low >= 0, low <= high, low > 0 || high == 0
    else { return nil }
    range = low...high
  }

  var description: String {
    range.lowerBound == range.upperBound
      ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
  }
  var defaultValueDescription: String { description }
}

/// A label renaming written `from=to`.
struct LabelRenaming: ExpressibleByArgument {
  var from: String
  var to: String

  init?(argument: String) {
    let parts = argument.split(separator: "=", maxSplits: 1)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    from = String(parts[0])
    to = String(parts[1])
  }
}

/// The `--threads` option shared by the commands that run workers.
struct ThreadOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "Worker threads (default: the CRIBLE_THREADS environment variable, else every core).")
  var threads: Int?

  func validate() throws {
    if let threads, threads < 1 || threads > 1024 {
      throw ValidationError("--threads must be between 1 and 1024, not \(threads).")
    }
  }
}

/// A pipeline step that `train --disable` can turn off.
enum PipelineStep: String, CaseIterable, ExpressibleByArgument {
  case nfkc, apostrophes, simplify, accents, whitespace, lookalikes, elongation
  case hanJoin = "han-join"
  case placeholders, numbers
  case phonePrefixes = "phone-prefixes"
  case urlDomains = "url-domains"
  case compounds, symbols, stemming

  /// Turns this step off in `configuration`.
  func disable(in configuration: inout TextPipeline.Configuration) {
    switch self {
    case .nfkc: configuration.normalization.compatibilityCaseFolding = false
    case .apostrophes: configuration.normalization.straightenApostrophes = false
    case .simplify: configuration.normalization.simplifyChinese = false
    case .accents: configuration.normalization.foldAccents = false
    case .whitespace: configuration.normalization.collapseWhitespace = false
    case .lookalikes: configuration.normalization.mapLookAlikes = false
    case .elongation: configuration.normalization.squeezeElongation = false
    case .hanJoin: configuration.normalization.joinHanAcrossSeparators = false
    case .placeholders: configuration.tokenization.placeholders = false
    case .numbers: configuration.tokenization.numberPlaceholders = false
    case .phonePrefixes: configuration.features.phonePrefixes = false
    case .urlDomains: configuration.features.urlDomains = false
    case .compounds: configuration.tokenization.hyphenatedCompounds = false
    case .symbols: configuration.features.symbols = false
    case .stemming: configuration.features.lightStemming = false
    }
  }
}

/// Class weights written `balanced`, `uniform` or `label=weight,label=weight`.
struct ClassWeightArgument: ExpressibleByArgument {
  var weights: ClassWeights

  init?(argument: String) {
    switch argument {
    case "balanced":
      weights = .balanced
      return
    case "uniform":
      weights = .uniform
      return
    default: break
    }
    var given: [String: Double] = [:]
    for pair in argument.split(separator: ",") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, !parts[0].isEmpty, let weight = Double(parts[1]) else { return nil }
      given[String(parts[0])] = weight
    }
    guard !given.isEmpty else { return nil }
    weights = .explicit(given)
  }
}
