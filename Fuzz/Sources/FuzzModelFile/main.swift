import Classification
import FuzzSupport

// Any bytes, as a model file: loading either succeeds or throws a CribleError of kind badModel,
// never crashes; a model that loads can label. Each input is tried twice: as it is (the
// checksum must catch almost everything), and with its checksum made right, so that the fuzzer
// reaches the header and section checks behind it.

/// CRC-32 (zlib's), to seal a mutated file.
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return ~crc
}

func load(_ bytes: [UInt8]) {
  do {
    let classifier = try ModelFile.decode(bytes, source: "fuzz")
    _ = classifier.predict("加微信 merci")
  } catch {
    precondition(error.kind == .badModel, "a bad model gave \(error.kind)")
  }
}

func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: start, count: count))
  load(bytes)
  if bytes.count >= 20 {
    let crc = crc32(bytes[0..<(bytes.count - 4)])
    for i in 0..<4 {
      bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))
    }
    load(bytes)
  }
  return 0
}

// SwiftPM makes `FuzzModelFile_main` the entry point (see FuzzSupport).
@_cdecl("FuzzModelFile_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv) { fuzz($0, $1) }
}
