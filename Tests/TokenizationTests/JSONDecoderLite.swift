import Foundation

/// Decoding helper for tests of stored configurations.
enum JSONDecoderLite {
  static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(json.utf8))
  }
}
