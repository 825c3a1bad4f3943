import FuzzSupport
import Tokenization

// Any bytes, as one message: normalisation, pre-tokenisation and features must never crash,
// and must give the same features twice (no state leaks between messages of a workspace).
// Numbers read as Han (logistic regression's default) runs the pre-tokeniser's extra pass.
let pipeline = TextPipeline(configuration: .init(tokenization: .init(numbersAsHan: true)))
nonisolated(unsafe) var workspace = TextPipeline.Workspace()
nonisolated(unsafe) var other = TextPipeline.Workspace()

func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: start, count: count)
  pipeline.extractFeatures(utf8: bytes, into: &workspace)
  let first = workspace.features
  pipeline.extractFeatures(utf8: UnsafeBufferPointer(start: start, count: count / 2), into: &other)
  pipeline.extractFeatures(utf8: bytes, into: &other)
  precondition(first == other.features, "features depend on the previous message")
  let buckets = UInt32(pipeline.bucketCount)
  precondition(first.allSatisfy { $0 < buckets }, "a feature outside the buckets")
  return 0
}

// SwiftPM makes `FuzzTextPipeline_main` the entry point (see FuzzSupport).
@_cdecl("FuzzTextPipeline_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv) { fuzz($0, $1) }
}
