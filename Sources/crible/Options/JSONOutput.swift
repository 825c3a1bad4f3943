import Foundation

/// The JSON text of a command's report (`--json`): keys sorted, so that output is stable.
///
/// A report holds only finite numbers, strings and integers, so encoding cannot fail; `{}`
/// stands in if it ever did.
///
/// - Parameters:
///   - value: The report.
///   - pretty: Whether to indent it over several lines.
/// - Returns: The JSON text.
func jsonText(_ value: some Encodable, pretty: Bool = false) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
  return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
}
