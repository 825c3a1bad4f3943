#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A Chinese word list with frequencies, for dictionary word segmentation as jieba does it.
///
/// Built from jieba's dictionary format, one `word frequency [tag]` per line. Segmenting a run
/// of Han characters follows jieba's method: every dictionary word that starts at each position
/// forms a directed acyclic word graph, and dynamic programming from the end of the run picks the
/// most probable path, a word `w` scoring `ln(freq(w) / total)`. A position where no dictionary
/// word starts is a one-character word with frequency 1. Ties go to the longer word, as in
/// jieba.
///
/// Words are stored by their ``StableHash`` state, and every proper prefix of a word is stored
/// too (with frequency 0), so that the search along a run stops as soon as no word can continue.
public struct Lexicon: Sendable, Equatable {
  /// A line of a dictionary that cannot be read.
  public struct ParseError: Error, Sendable, Equatable {
    /// The one-based line number.
    public var line: Int
    /// What is wrong with it.
    public var reason: String
  }

  /// The words, as normalised scalars, in the order given.
  public let words: [[UInt32]]
  /// The frequency of each word.
  public let frequencies: [UInt32]
  private let table: [UInt64: UInt32]
  private let logTotal: Double
  private let longest: Int

  /// Creates a lexicon from words (already normalised) and their frequencies.
  public init(words: [[UInt32]], frequencies: [UInt32]) {
    precondition(
      words.count == frequencies.count,
      "Lexicon: \(words.count) words, \(frequencies.count) frequencies")
    var table: [UInt64: UInt32] = [:]
    var total: Double = 0
    var longest = 1
    for (word, frequency) in zip(words, frequencies) where !word.isEmpty {
      var state = StableHash.basis
      for (position, scalar) in word.enumerated() {
        state = StableHash.combine(state, scalar)
        if position == word.count - 1 {
          table[state] = max(table[state] ?? 0, frequency)
        } else if table[state] == nil {
          table[state] = 0
        }
      }
      total += Double(frequency)
      longest = max(longest, word.count)
    }
    self.words = words
    self.frequencies = frequencies
    self.table = table
    self.logTotal = log(max(total, 1))
    self.longest = longest
  }

  /// Reads jieba's dictionary format: `word frequency [tag]` per line, blank lines ignored.
  ///
  /// - Parameters:
  ///   - text: The dictionary.
  ///   - normalize: The pipeline's normaliser, applied to every word so that dictionary and
  ///     messages meet in the same form (simplified characters, for example).
  /// - Returns: The lexicon, or the first line that cannot be read.
  public static func parse(_ text: String, normalize: (String) -> [UInt32]) -> Result<
    Lexicon, ParseError
  > {
    var words: [[UInt32]] = []
    var frequencies: [UInt32] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if fields.isEmpty { continue }
      guard fields.count >= 2, let frequency = UInt32(fields[1]) else {
        return .failure(ParseError(line: index + 1, reason: "expected `word frequency [tag]`"))
      }
      words.append(normalize(String(fields[0])))
      frequencies.append(frequency)
    }
    return .success(Lexicon(words: words, frequencies: frequencies))
  }

  /// The number of words.
  public var count: Int { words.count }

  /// Whether two lexicons hold the same words with the same frequencies, in the same order.
  public static func == (a: Lexicon, b: Lexicon) -> Bool {
    a.words == b.words && a.frequencies == b.frequencies
  }

  /// Cuts `scalars[start..<end]` into words, writing the end of each word, in order, into
  /// `wordEnds` (room for `end - start` of them); returns the number of words.
  ///
  /// It writes into a buffer rather than calling back, so that the feature extractor's hot loop
  /// passes no closure to a function that is not inlined (which would keep its output writer in
  /// memory rather than in registers).
  func segment(
    _ scalars: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int,
    wordEnds: UnsafeMutablePointer<Int>
  ) -> Int {
    let n = end - start
    guard n > 0 else { return 0 }
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: n + 1) { score in
      return withUnsafeTemporaryAllocation(of: Int.self, capacity: n + 1) { wordEnd in
        score[n] = 0
        for i in stride(from: n - 1, through: 0, by: -1) {
          var best = -Double.infinity
          var bestEnd = i + 1
          var state = StableHash.basis
          var j = i
          while j < n && j - i < longest {
            state = StableHash.combine(state, scalars[start + j])
            guard let frequency = table[state] else { break }
            if frequency > 0 {
              let candidate = log(Double(frequency)) - logTotal + score[j + 1]
              if candidate >= best {
                best = candidate
                bestEnd = j + 1
              }
            }
            j += 1
          }
          if best == -Double.infinity { best = -logTotal + score[i + 1] }  // unknown: frequency 1
          score[i] = best
          wordEnd[i] = bestEnd
        }
        var i = 0
        var words = 0
        while i < n {
          wordEnds[words] = start + wordEnd[i]
          words += 1
          i = wordEnd[i]
        }
        return words
      }
    }
  }
}
