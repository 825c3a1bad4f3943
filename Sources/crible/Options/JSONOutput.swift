import Foundation

/// The JSON text of a command's report (`--json`): keys sorted, so that output is stable.
///
/// Numbers that are not finite (a log loss of a model that gives a probability of zero, for
/// example) are written as the strings `"inf"`, `"-inf"` and `"nan"`, rather than failing; `{}`
/// stands in if encoding ever failed otherwise.
///
/// - Parameters:
///   - value: The report.
///   - pretty: Whether to indent it over several lines.
/// - Returns: The JSON text.
func jsonText(_ value: some Encodable, pretty: Bool = false) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
  encoder.nonConformingFloatEncodingStrategy = .convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
  return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
}
