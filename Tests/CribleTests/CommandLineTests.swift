import Foundation
import Testing

/// The `crible` binary end to end: commands, output formats, errors and exit statuses.
@Suite struct CommandLineTests {
  static let training = """
    offensive\t你真是个垃圾
    offensive\t滚开，蠢货
    offensive\tt'es qu'un connard
    offensive\tferme ta gueule, abruti
    safe\t今天天气很好
    safe\t谢谢你的帮助
    safe\tmerci pour ton aide
    safe\tbonne journée à toi

    """

  /// Writes ``training`` to `train.tsv` in `directory`; returns the file.
  static func trainingFile(in directory: URL) throws -> URL {
    let data = directory.appendingPathComponent("train.tsv")
    try training.write(to: data, atomically: true, encoding: .utf8)
    return data
  }

  /// Trains `algorithm` with `options` on ``training``, written to `train.tsv` in
  /// `directory`; returns the model's path.
  func trainedModel(
    in directory: URL, algorithm: String = "naive-bayes",
    options: [String] = ["--bucket-bits", "12"]
  ) throws -> String {
    let data = try Self.trainingFile(in: directory)
    let model = directory.appendingPathComponent("m.crible").path
    let result = try CommandRunner.run(
      ["train", data.path, "--output", model, "--algorithm", algorithm] + options)
    #expect(result.status == 0, "train failed: \(result.stderr)")
    #expect(result.stderr.contains("Trained \(algorithm) on 8 examples"))
    return model
  }

  @Test func helpListsTheCommands() throws {
    let result = try CommandRunner.run(["--help"])
    #expect(result.status == 0)
    for command in ["train", "evaluate", "label", "info"] {
      #expect(result.stdout.contains(command))
    }
    #expect(result.stdout.contains("Exit status"))
  }

  @Test func trainLabelEvaluateInfo() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainedModel(in: directory)

    // label: stdin to stdout, one line per input line, in order.
    let input = "你这个垃圾\nmerci beaucoup\n\n今天很好"
    let labelled = try CommandRunner.run(["label", "--model", model], stdin: Data(input.utf8))
    #expect(labelled.status == 0, "\(labelled.stderr)")
    let lines = labelled.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 4)
    #expect(lines[0].hasPrefix("offensive\t"))
    #expect(lines[1].hasPrefix("safe\t"))
    #expect(lines.allSatisfy { $0.split(separator: "\t").count == 2 })

    // label: files to a file, with threads.
    let file = directory.appendingPathComponent("in.txt")
    try input.write(to: file, atomically: true, encoding: .utf8)
    let out = directory.appendingPathComponent("out.txt").path
    let toFile = try CommandRunner.run([
      "label", "-m", model, file.path, "-o", out, "--threads", "2",
    ])
    #expect(toFile.status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == labelled.stdout)

    // evaluate --json has the documented keys.
    let data = directory.appendingPathComponent("train.tsv").path
    let evaluated = try CommandRunner.run(["evaluate", "--model", model, data, "--json"])
    #expect(evaluated.status == 0)
    let report =
      try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any]
    for key in ["accuracy", "macro_f1", "weighted_f1", "per_label", "confusion_matrix"] {
      #expect(report?[key] != nil, "evaluate --json lacks \(key)")
    }
    let table = try CommandRunner.run(["evaluate", "--model", model, data])
    #expect(table.stdout.contains("accuracy") && table.stdout.contains("confusion matrix"))

    // info, as text and JSON.
    let info = try CommandRunner.run(["info", model, "--json"])
    let description =
      try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    #expect(description?["algorithm"] as? String == "naive-bayes")
    #expect(description?["labels"] as? [String] == ["offensive", "safe"])
    // Without --alpha, cross-validation chose α among the candidates, and the model says so.
    let alpha = (description?["hyperparameters"] as? [String: Double])?["alpha"]
    #expect([0.03, 0.1, 0.3, 1, 3].contains(alpha ?? -1))
    let provenance = description?["provenance"] as? [String: Any]
    let selection = provenance?["smoothing_selection"] as? [String: Any]
    #expect(selection?["alpha"] as? Double == alpha)
    #expect((selection?["macro_f1"] as? [Double])?.count == 5)
    let text = try CommandRunner.run(["info", model])
    #expect(text.stdout.contains("trained on") && text.stdout.contains("train.tsv"))
  }

  @Test func supervisedEmbeddingsTrainWithTheirSettings() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainedModel(
      in: directory, algorithm: "embeddings",
      options: ["--dimension", "8", "--epochs", "30", "--learning-rate", "0.2", "--seed", "7"])
    let info = try CommandRunner.run(["info", model, "--json"])
    let description =
      try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    #expect(description?["algorithm"] as? String == "embeddings")
    let settings = description?["hyperparameters"] as? [String: Double]
    #expect(settings == ["dimension": 8, "epochs": 30, "learning_rate": 0.2, "seed": 7])
    let text = try CommandRunner.run(["info", model])
    #expect(text.stdout.contains("tf counts, l1"))
    #expect(
      text.stdout.contains("symbols on, phone prefixes, URL domains, </s> ending every message"))
    // Their messages end with fastText's </s> feature, unless turned off; other algorithms'
    // do not.
    func endsMessages(_ model: String) throws -> Bool? {
      let info = try CommandRunner.run(["info", model, "--json"])
      let description =
        try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
      let features = (description?["pipeline"] as? [String: Any])?["features"] as? [String: Any]
      return features?["endOfMessage"] as? Bool
    }
    #expect(try endsMessages(model) == true)
    let tokens = try CommandRunner.run(["tokenize", "--model", model, "哈哈"])
    #expect(tokens.stdout == "哈 哈哈 哈 </s>\n")
    let labelled = try CommandRunner.run(
      ["label", "--model", model], stdin: Data("你这个垃圾\nmerci beaucoup\n".utf8))
    #expect(labelled.status == 0 && labelled.stdout.split(separator: "\n").count == 2)
    let bad = try CommandRunner.run([
      "train", directory.appendingPathComponent("train.tsv").path, "-o", model, "--algorithm",
      "embeddings", "--dimension", "0",
    ])
    #expect(bad.status != 0 && bad.stderr.contains("embedding dimension"))
    // (These overwrite the model above.)
    let without = try trainedModel(
      in: directory, algorithm: "embeddings", options: ["--no-end-of-message", "--epochs", "2"])
    #expect(try endsMessages(without) == false)
    let regression = try trainedModel(in: directory, algorithm: "logistic-regression", options: [])
    #expect(try endsMessages(regression) == false)
  }

  @Test func numbersAreReadAsHanByDefaultExceptByNaiveBayes() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func readsNumbersAsHan(_ algorithm: String, _ options: [String]) throws -> Bool? {
      let model = try trainedModel(in: directory, algorithm: algorithm, options: options)
      let info = try CommandRunner.run(["info", model, "--json"])
      let description =
        try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
      let tokenization =
        (description?["pipeline"] as? [String: Any])?["tokenization"] as? [String: Any]
      let tokens = try CommandRunner.run(["tokenize", "--model", model, "群聊500人"])
      #expect(tokens.stdout.contains("<num>") == (tokenization?["numbersAsHan"] as? Bool == false))
      return tokenization?["numbersAsHan"] as? Bool
    }
    #expect(try readsNumbersAsHan("logistic-regression", []) == true)
    #expect(try readsNumbersAsHan("logistic-regression", ["--no-han-numbers"]) == false)
    #expect(try readsNumbersAsHan("naive-bayes", []) == false)
    #expect(try readsNumbersAsHan("naive-bayes", ["--han-numbers"]) == true)
    #expect(try readsNumbersAsHan("complement-naive-bayes", []) == false)
    #expect(try readsNumbersAsHan("embeddings", ["--epochs", "2"]) == true)
    #expect(try readsNumbersAsHan("embeddings", ["--epochs", "2", "--no-han-numbers"]) == false)
  }

  /// `--disable` turns a pipeline step off in the model: URL domains and telephone prefixes,
  /// on by default, are then missing from what `tokenize --model` shows.
  @Test func disabledStepsStayOffInTheModel() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let message = "voir m.taobao.com/x ou 0800 505060"
    let on = try trainedModel(in: directory)
    let onTokens = try CommandRunner.run(["tokenize", "--model", on, message]).stdout
    #expect(onTokens.contains("<url taobao.com>") && onTokens.contains("<phone 080>"))
    let off = try trainedModel(
      in: directory,
      options: ["--bucket-bits", "12", "--disable", "url-domains", "--disable", "phone-prefixes"])
    let offTokens = try CommandRunner.run(["tokenize", "--model", off, message]).stdout
    #expect(offTokens.contains("<url>") && offTokens.contains("<phone>"))
    #expect(!offTokens.contains("<url ") && !offTokens.contains("<phone "))
    #expect(!(try CommandRunner.run(["info", off]).stdout.contains("URL domains")))
  }

  @Test func fastTextFormatIsDetected() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("train.txt")
    try "__label__spam 加微信领红包\n__label__ham 明天见\n".write(
      to: data, atomically: true, encoding: .utf8)
    let model = directory.appendingPathComponent("m.crible").path
    let result = try CommandRunner.run(["train", data.path, "-o", model])
    #expect(result.status == 0)
    let info = try CommandRunner.run(["info", model, "--json"])
    #expect(info.stdout.contains("\"fasttext\""))
  }

  @Test func errorsNameTheFileAndLineWithDocumentedStatuses() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainedModel(in: directory)

    // 64: bad options.
    #expect(try CommandRunner.run(["label", "--model", model, "--threads", "0"]).status == 64)
    #expect(try CommandRunner.run(["train"]).status == 64)

    // 65: a malformed training line; nothing is written.
    let bad = directory.appendingPathComponent("bad.tsv")
    try "spam\tun\nsans tabulation\n".write(to: bad, atomically: true, encoding: .utf8)
    let target = directory.appendingPathComponent("never.crible").path
    let malformed = try CommandRunner.run(["train", bad.path, "-o", target])
    #expect(malformed.status == 65)
    #expect(malformed.stderr.contains("Line 2 of \(bad.path) has no tab"))
    #expect(!FileManager.default.fileExists(atPath: target))

    // 65: a label the model does not know.
    let unknown = directory.appendingPathComponent("unknown.tsv")
    try "spam\tgagnez\n".write(to: unknown, atomically: true, encoding: .utf8)
    let evaluated = try CommandRunner.run(["evaluate", "-m", model, unknown.path])
    #expect(evaluated.status == 65)
    #expect(evaluated.stderr.contains("Line 1 of \(unknown.path) has the label \"spam\""))

    // 66: a missing input.
    let missing = try CommandRunner.run(["label", "-m", model, "/nonexistent/in.txt"])
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("/nonexistent/in.txt"))

    // 67: a file that is not a model, and a damaged model.
    let notModel = try CommandRunner.run(["info", bad.path])
    #expect(notModel.status == 67)
    #expect(notModel.stderr.contains("\(bad.path) is not a usable Crible model"))
    var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
    bytes[bytes.count / 2] ^= 0xFF
    let damaged = directory.appendingPathComponent("damaged.crible")
    try bytes.write(to: damaged)
    let refused = try CommandRunner.run(["label", "-m", damaged.path], stdin: Data("x\n".utf8))
    #expect(refused.status == 67)
    #expect(refused.stderr.contains("checksum"))
    #expect(refused.stdout.isEmpty)

    // 73: an output that cannot be created.
    let unwritable = try CommandRunner.run(
      ["label", "-m", model, "-o", "/nonexistent/out.txt"], stdin: Data("x\n".utf8))
    #expect(unwritable.status == 73)
  }

  /// The shipped default model labels the shipped samples: one line per message.
  @Test func defaultModelLabelsTheSamples() throws {
    let root = CommandRunner.packageRoot
    let model = root.appendingPathComponent("Models/offensive-zh-fr.crible").path
    let samples = root.appendingPathComponent("Datasets/samples/messages.txt").path
    let result = try CommandRunner.run(["label", "--model", model, samples])
    #expect(result.status == 0, "\(result.stderr)")
    let inputLines = try String(contentsOfFile: samples, encoding: .utf8).split(separator: "\n")
      .count
    let outputLines = result.stdout.split(separator: "\n")
    #expect(outputLines.count == inputLines)
    #expect(outputLines.allSatisfy { $0.hasPrefix("offensive\t") || $0.hasPrefix("safe\t") })
  }

  static let datasets = CommandRunner.packageRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/datasets")

  /// On the real corpus, when it is present: every one of the 5,268 test messages of
  /// zh-cold-offensive gets its line, in order.
  @Test(
    .enabled(
      if: FileManager.default.fileExists(
        atPath: datasets.appendingPathComponent("zh-cold-offensive/test.tsv").path)))
  func labelsEveryLineOfARealCorpus() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let test = Self.datasets.appendingPathComponent("zh-cold-offensive/test.tsv").path
    let lines = try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n")
      .map { $0.split(separator: "\t", maxSplits: 1).last.map(String.init) ?? "" }
    let texts = directory.appendingPathComponent("texts.txt")
    try (lines.joined(separator: "\n") + "\n").write(to: texts, atomically: true, encoding: .utf8)
    let model = CommandRunner.packageRoot.appendingPathComponent("Models/offensive-zh-fr.crible")
      .path
    let one = try CommandRunner.run(["label", "-m", model, texts.path, "--threads", "1"])
    let two = try CommandRunner.run(["label", "-m", model, texts.path, "--threads", "2"])
    let four = try CommandRunner.run(["label", "-m", model, texts.path, "--threads", "4"])
    // The labelled file itself, its second column read as TSV.
    let columns = try CommandRunner.run([
      "label", "-m", model, test, "--input-format", "tsv", "--text-column", "2",
    ])
    #expect(one.status == 0 && two.status == 0 && four.status == 0 && columns.status == 0)
    #expect(one.stdout.split(separator: "\n").count == 5_268)
    #expect(one.stdout == two.stdout && one.stdout == four.stdout && one.stdout == columns.stdout)
  }
}

/// Every algorithm through the command line, with its hyper-parameters under their usual names.
@Suite struct AlgorithmCommandLineTests {
  @Test(arguments: [
    ("logistic-regression", "l2"), ("naive-bayes", "alpha"), ("complement-naive-bayes", "alpha"),
  ])
  func trainsAndDescribes(algorithm: String, hyperparameter: String) throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try CommandLineTests.trainingFile(in: directory)
    let model = directory.appendingPathComponent("m.crible").path
    let trained = try CommandRunner.run(["train", data.path, "-o", model, "--algorithm", algorithm])
    #expect(trained.status == 0, "\(trained.stderr)")
    let info = try CommandRunner.run(["info", model, "--json"])
    let description =
      try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    #expect(description?["algorithm"] as? String == algorithm)
    #expect((description?["hyperparameters"] as? [String: Double])?[hyperparameter] != nil)
    let labelled = try CommandRunner.run(
      ["label", "-m", model], stdin: Data("你这个垃圾\nmerci\n".utf8))
    #expect(labelled.stdout.split(separator: "\n").count == 2)
  }

  @Test func validationIsReported() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try CommandLineTests.trainingFile(in: directory)
    let trained = try CommandRunner.run([
      "train", data.path, "-o", directory.appendingPathComponent("m.crible").path, "--validation",
      data.path,
    ])
    #expect(trained.status == 0)
    #expect(trained.stderr.contains("Validation on \(data.path): accuracy"))
  }

  /// Logistic regression and the supervised embeddings weigh their labels inversely to their
  /// numbers by default, and the model says so; `--class-weight uniform` turns that off, and
  /// naive Bayes keeps uniform weights.
  @Test func discriminativeModelsBalanceTheirLabelsByDefault() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("train.tsv")
    let lines = [
      "spam\t加微信领红包", "spam\t点击链接领奖", "spam\tgagnez un iPhone", "spam\tcliquez ici",
      "spam\t免费领取", "spam\tcadeau gratuit", "ham\t明天见", "ham\tà demain",
    ]
    try (lines.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
    let model = directory.appendingPathComponent("m.crible").path
    func weights(_ options: [String]) throws -> [String: Double]? {
      let trained = try CommandRunner.run(["train", data.path, "-o", model] + options)
      #expect(trained.status == 0, "\(trained.stderr)")
      let info = try CommandRunner.run(["info", model, "--json"])
      let description =
        try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
      return (description?["provenance"] as? [String: Any])?["class_weights"] as? [String: Double]
    }
    // n / (labels · n_label): 8 / (2 · 6) and 8 / (2 · 2).
    let balanced = try #require(try weights(["--algorithm", "embeddings"]))
    #expect(abs(balanced["spam", default: 0] - 2.0 / 3) < 1e-6 && balanced["ham"] == 2)
    let text = try CommandRunner.run(["info", model])
    #expect(text.stdout.contains("class weight ham 2, spam 0.6667\n"), "\(text.stdout)")
    #expect(try weights(["--algorithm", "embeddings", "--class-weight", "uniform"]) == nil)
    #expect(try !CommandRunner.run(["info", model]).stdout.contains("class weight"))
    #expect(try weights([]) == balanced)
    #expect(
      try weights(["--algorithm", "logistic-regression", "--class-weight", "uniform"]) == nil)
    #expect(try weights(["--algorithm", "naive-bayes"]) == nil)
    let bad = try CommandRunner.run(["train", data.path, "-o", model, "--class-weight", "heavy"])
    #expect(bad.status == 64 && bad.stderr.contains("class-weight"), "\(bad.stderr)")
  }

  @Test func defaultAlgorithmIsTheLinearSVM() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try CommandLineTests.trainingFile(in: directory)
    let trained = try CommandRunner.run([
      "train", data.path, "-o", directory.appendingPathComponent("m.crible").path,
    ])
    #expect(trained.stderr.contains("Trained linear-svm"), "\(trained.stderr)")
    #expect(trained.stderr.contains("Chose C "), "\(trained.stderr)")
  }

  /// A solver stopped by --max-iterations before its tolerance warns, naming itself; the
  /// embeddings, which run a fixed schedule, never do.
  @Test func solversStoppedEarlyWarnByName() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try CommandLineTests.trainingFile(in: directory)
    let model = directory.appendingPathComponent("m.crible").path
    func warning(_ options: [String]) throws -> String? {
      let result = try CommandRunner.run(["train", data.path, "-o", model] + options)
      #expect(result.status == 0, "\(result.stderr)")
      return result.stderr.split(separator: "\n").first { $0.contains("warning") }.map(String.init)
    }
    let expected = "stopped after 1 iteration without reaching the tolerance"
    let svm = try warning(["--cost", "3", "--max-iterations", "1", "--tolerance", "1e-9"])
    #expect(svm?.contains("dual coordinate descent \(expected)") == true, "\(svm ?? "none")")
    let lbfgs = try warning([
      "--algorithm", "logistic-regression", "--max-iterations", "1", "--tolerance", "1e-12",
    ])
    #expect(lbfgs?.contains("L-BFGS \(expected)") == true, "\(lbfgs ?? "none")")
    #expect(try warning(["--cost", "3"]) == nil)
    #expect(try warning(["--algorithm", "embeddings", "--max-iterations", "1"]) == nil)
  }

  /// The online solver trains logistic regression when no algorithm is given, and refuses any
  /// other.
  @Test func theOnlineSolverTrainsLogisticRegression() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try CommandLineTests.trainingFile(in: directory)
    let model = directory.appendingPathComponent("m.crible").path
    let online = try CommandRunner.run(["train", data.path, "-o", model, "--solver", "adagrad"])
    #expect(online.status == 0, "\(online.stderr)")
    #expect(online.stderr.contains("Trained logistic-regression"), "\(online.stderr)")
    let refused = try CommandRunner.run([
      "train", data.path, "-o", model, "--solver", "adagrad", "--algorithm", "linear-svm",
    ])
    #expect(refused.status == 64 && refused.stderr.contains("adagrad"), "\(refused.stderr)")
  }
}

/// `label --jsonl` and `features`: the richer outputs.
@Suite struct OutputFormatTests {
  @Test func jsonlHasLabelProbabilityAndScores() throws {
    let model = CommandRunner.packageRoot.appendingPathComponent("Models/offensive-zh-fr.crible")
      .path
    let result = try CommandRunner.run(
      ["label", "-m", model, "--jsonl"], stdin: Data("你这个垃圾\n\nmerci\n".utf8))
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 3)
    for line in lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      let label = try #require(object?["label"] as? String)
      let probability = try #require(object?["probability"] as? Double)
      let scores = try #require(object?["scores"] as? [String: Double])
      #expect(Set(scores.keys) == ["offensive", "safe"])
      #expect(scores[label] == probability)
      #expect(abs(scores.values.reduce(0, +) - 1) < 2e-4)
    }
  }

  @Test func featuresAreSvmlightWithModelLabelIndices() throws {
    let root = CommandRunner.packageRoot
    let model = root.appendingPathComponent("Models/offensive-zh-fr.crible").path
    let data = root.appendingPathComponent("Datasets/samples/labelled.tsv").path
    let result = try CommandRunner.run(["features", "-m", model, data])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 40)
    for (number, line) in lines.enumerated() {
      let fields = line.split(separator: " ")
      // The samples start with ten safe messages: label 1 in the model's order (offensive, safe).
      if number < 10 { #expect(fields.first == "1") }
      let indices = fields.dropFirst().compactMap {
        $0.split(separator: ":").first.flatMap { Int($0) }
      }
      #expect(indices == indices.sorted() && Set(indices).count == indices.count)
    }
    // The form the classifiers issue gives, to a file: the same vectors.
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("features.svm").path
    let toFile = try CommandRunner.run([
      "features", "--model", model, data, "--format", "svmlight", "--output", output,
    ])
    #expect(toFile.status == 0, "\(toFile.stderr)")
    #expect(try String(contentsOfFile: output, encoding: .utf8) == result.stdout)
  }
}

/// `tokenize`: the readable features of the default pipeline, a language's, or a model's.
@Suite struct TokenizeCommandTests {
  @Test func languagesChooseTheFeatureFamilies() throws {
    let text = "WeChat群聊500人 c’est nuuuul"
    let auto = try CommandRunner.run(["tokenize", "--json", "--", text])
    let zh = try CommandRunner.run(["tokenize", "--json", "--language", "zh", "--", text])
    let fr = try CommandRunner.run(["tokenize", "--json", "--language", "fr", "--", text])
    for result in [auto, zh, fr] { #expect(result.status == 0, "\(result.stderr)") }
    func features(_ result: CommandRunner.Result) throws -> [String] {
      try JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))
    }
    #expect(
      try features(zh) == [
        "wechat", "群", "群聊", "聊", "<num>", "人", "c'", "est", "c' est", "nul", "est nul",
      ])
    let french = try features(fr)
    #expect(french.contains("<nul") && french.contains("chat>") && !french.contains("群聊"))
    let both = try features(auto)
    #expect(both.contains("<nul") && both.contains("群聊"))
  }

  @Test func standardInputGivesOneLinePerText() throws {
    let result = try CommandRunner.run(
      ["tokenize", "--language", "zh"], stdin: Data("加 微 信\nÇA VA\n".utf8))
    #expect(result.status == 0)
    #expect(result.stdout == "加 加微 微 微信 信\nca va ca va\n")
  }

  @Test func anUnknownLanguageIsAUsageError() throws {
    let result = try CommandRunner.run(["tokenize", "--language", "de", "x"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--language"))
  }
}

/// `bench`: throughput figures for a model on a message file.
@Suite struct BenchCommandTests {
  @Test func jsonReportsEveryStage() throws {
    let root = CommandRunner.packageRoot
    let result = try CommandRunner.run([
      "bench", "-m", root.appendingPathComponent("Models/offensive-zh-fr.crible").path,
      root.appendingPathComponent("Datasets/samples/messages.txt").path, "--json", "--threads", "2",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["messages"] as? Int == 40)
    #expect(object?["threads"] as? Int == 2)
    #expect((object?["messages_per_second"] as? Double ?? 0) > 0)
    #expect((object?["peak_resident_bytes"] as? Int ?? 0) > 0)
    let stages = try #require(object?["stages"] as? [String: Double])
    #expect(Set(stages.keys) == ["read", "pipeline", "score", "format", "write"])
  }
}

/// `label`'s input formats and output options, through the binary.
@Suite struct LabelOptionsTests {
  static let model = CommandRunner.packageRoot.appendingPathComponent(
    "Models/offensive-zh-fr.crible"
  ).path

  @Test func jsonInputWithMarkedLinesExitsWithBadData() throws {
    let input = "{\"text\":\"你这个垃圾\"}\nnot json\n{\"text\":\"merci\"}\n"
    let result = try CommandRunner.run(
      ["label", "-m", Self.model, "--input-format", "jsonl", "--with-text"],
      stdin: Data(input.utf8))
    #expect(result.status == 65)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("offensive\t") && lines[0].hasSuffix("\t你这个垃圾"))
    #expect(lines[1] == "#error\tline 2 of standard input: it is not a JSON object")
    #expect(lines[2].hasSuffix("\tmerci"))
    #expect(result.stderr.contains("1 of 3 lines had no message to label"))
  }

  @Test func thresholdsTopKAndTsvColumns() throws {
    let input = "1\t你这个垃圾\n2\tmerci beaucoup\n"
    let result = try CommandRunner.run(
      [
        "label", "-m", Self.model, "--input-format", "tsv", "--text-column", "2", "--top-k", "2",
        "--threshold", "offensive=1", "--abstain-label", "review",
      ], stdin: Data(input.utf8))
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
    #expect(lines.count == 2 && lines.allSatisfy { $0.count == 4 })
    #expect(lines[0][0] == "review" && lines[0][2] == "safe")
    #expect(lines[1][0] == "safe")
  }

  @Test func unknownThresholdLabelIsAUsageError() throws {
    let result = try CommandRunner.run(
      ["label", "-m", Self.model, "--threshold", "spam=0.9"], stdin: Data("x\n".utf8))
    #expect(result.status == 64)
    #expect(result.stderr.contains("\"spam\""))
  }
}

/// `quantize`: a smaller logistic-regression model and its measured cost.
@Suite struct QuantizeCommandTests {
  @Test func int8ModelIsSmallerAndMeasured() throws {
    let root = CommandRunner.packageRoot
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("small.crible").path
    let samples = root.appendingPathComponent("Datasets/samples/labelled.tsv").path
    let result = try CommandRunner.run([
      "quantize", root.appendingPathComponent("Models/offensive-zh-fr.crible").path,
      "--to", "int8", "-o", output, "--evaluate", samples,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("int8 weights") && result.stdout.contains("accuracy"))
    let info = try CommandRunner.run(["info", output, "--json"])
    #expect(info.stdout.contains("\"quantization\" : \"int8\""))
    let labelled = try CommandRunner.run(["label", "-m", output], stdin: Data("你这个垃圾\n".utf8))
    #expect(labelled.stdout.hasPrefix("offensive\t"))
  }
}

/// Multi-label training, labelling, evaluation and export through the binary.
@Suite struct MultiLabelCommandTests {
  static let data = """
    spam\t加微信领红包 优惠 限时
    spam\t免费领取 加我微信
    spam\tgagnez un iphone cliquez ici
    offensive\t你这个蠢货
    offensive\tferme ta gueule connard
    offensive\t滚开 垃圾
    spam,offensive\t蠢货 加微信领红包
    spam,offensive\tconnard cliquez ici gratuit
    clean\t今天天气很好
    clean\tmerci pour ton aide
    clean\t明天见

    """

  @Test func trainLabelEvaluateAndExport() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("train.tsv")
    try Self.data.write(to: data, atomically: true, encoding: .utf8)
    let model = directory.appendingPathComponent("m.crible").path
    let train = try CommandRunner.run([
      "train", "--multi-label", data.path, "-o", model, "--bucket-bits", "12",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let labelled = try CommandRunner.run(
      ["label", "-m", model, "--jsonl"], stdin: Data("蠢货 加微信领红包\n".utf8))
    let object =
      try JSONSerialization.jsonObject(with: Data(labelled.stdout.utf8)) as? [String: Any]
    #expect(Set(object?["labels"] as? [String] ?? []) == ["offensive", "spam"])
    let evaluation = try CommandRunner.run(["evaluate", "-m", model, data.path, "--json"])
    let report =
      try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any]
    for key in ["subset_accuracy", "hamming_loss", "micro_f1", "macro_f1", "per_label"] {
      #expect(report?[key] != nil, "evaluate --json lacks \(key)")
    }
    #expect((report?["subset_accuracy"] as? Double ?? 0) > 0.8)
    let info = try CommandRunner.run(["info", model, "--json"])
    #expect(info.stdout.contains("\"multi_label\" : true"))
    let features = try CommandRunner.run(["features", "-m", model, data.path])
    // Labels are indices in the model's order (clean, offensive, spam): line 7 has both.
    let lines = features.stdout.split(separator: "\n")
    #expect(lines.count == 11 && lines[6].hasPrefix("1,2 "))
  }

  @Test func severalLabelsWithoutTheFlagAreRefused() throws {
    let result = try CommandRunner.run(
      ["train", "-", "-o", "/dev/null", "--format", "fasttext"],
      stdin: Data("__label__a __label__b text\n__label__a x\n".utf8))
    #expect(result.status == 65)
    #expect(result.stderr.contains("--multi-label"))
  }
}

/// `evaluate`'s metrics against scikit-learn itself.
///
/// Runs when a Python with scikit-learn is at hand (`CRIBLE_PYTHON`, or `python3`) and is
/// skipped otherwise. The values are also checked without scikit-learn, against numbers it
/// computed beforehand, in `MetricsTests`.
@Suite struct ScikitLearnMetricsTests {
  static let python: String? = {
    let candidates = [ProcessInfo.processInfo.environment["CRIBLE_PYTHON"], "/usr/bin/python3"]
    for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = ["-c", "import sklearn"]
      process.standardError = FileHandle.nullDevice
      guard (try? process.run()) != nil else { continue }
      process.waitUntilExit()
      if process.terminationStatus == 0 { return path }
    }
    return nil
  }()

  @Test(.enabled(if: python != nil)) func everyMetricMatchesScikitLearn() throws {
    let root = CommandRunner.packageRoot
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let predictions = directory.appendingPathComponent("p.tsv").path
    let report = directory.appendingPathComponent("r.json")
    let result = try CommandRunner.run([
      "evaluate", "-m", root.appendingPathComponent("Models/offensive-zh-fr.crible").path,
      root.appendingPathComponent("Datasets/samples/labelled.tsv").path, "--json",
      "--predictions", predictions,
    ])
    #expect(result.status == 0)
    try result.stdout.write(to: report, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(Self.python))
    process.arguments = [
      root.appendingPathComponent("Benchmarks/scripts/check-metrics-against-scikit-learn.py").path,
      report.path, predictions,
    ]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }
}

/// `cross-validate` and `tune` on the shipped samples.
@Suite struct SelectionCommandTests {
  static let samples = CommandRunner.packageRoot.appendingPathComponent(
    "Datasets/samples/labelled.tsv"
  ).path

  @Test func crossValidationReportsMeansAndDeviations() throws {
    let result = try CommandRunner.run([
      "cross-validate", Self.samples, "--folds", "4", "--json", "--bucket-bits", "14",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["folds"] as? Int == 4 && object?["examples"] as? Int == 40)
    let metrics = try #require(object?["metrics"] as? [String: [String: Any]])
    let accuracy = try #require(metrics["accuracy"])
    #expect((accuracy["folds"] as? [Double])?.count == 4)
    #expect(accuracy["mean"] is Double && accuracy["std"] is Double)
    let tooMany = try CommandRunner.run(["cross-validate", Self.samples, "--folds", "41"])
    #expect(tooMany.status == 64)
  }

  @Test func crossValidationTakesTheEmbeddingsSchedule() throws {
    func logLoss(_ extra: [String]) throws -> Double {
      let result = try CommandRunner.run(
        [
          "cross-validate", Self.samples, "--folds", "4", "--json", "--bucket-bits", "14",
          "--algorithm", "embeddings",
        ] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      let object =
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      let metrics = try #require(object?["metrics"] as? [String: [String: Any]])
      return try #require(metrics["log_loss"]?["mean"] as? Double)
    }
    let defaults = try logLoss([])
    #expect(try logLoss(["--learning-rate", "0.5", "--training-seed", "1"]) == defaults)
    #expect(try logLoss(["--learning-rate", "1"]) != defaults)
    #expect(try logLoss(["--training-seed", "2"]) != defaults)
    #expect(try logLoss(["--epochs", "7"]) != defaults)
    let bad = try CommandRunner.run([
      "cross-validate", Self.samples, "--algorithm", "embeddings", "--learning-rate", "0",
    ])
    #expect(bad.status == 64 && bad.stderr.contains("learning rate"), "\(bad.stderr)")
  }

  @Test func tuneWritesTheBestModel() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("best.crible").path
    let result = try CommandRunner.run([
      "tune", Self.samples, "--folds", "2", "-o", model, "--algorithms", "naive-bayes",
      "--alpha-values", "0.1,1", "--han-ngrams-values", "1-2", "--word-ngrams-values", "1",
      "--bucket-bits-values", "14", "--class-weights", "uniform", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let board = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(board?["candidates"] as? Int == 2)
    #expect((board?["results"] as? [Any])?.count == 2)
    #expect(FileManager.default.fileExists(atPath: model))
    let bad = try CommandRunner.run(["tune", Self.samples, "-o", model, "--metric", "f2"])
    #expect(bad.status == 64)
  }

  /// `tune` on the samples with one value of every grid option (α 0.3, Han 1-2-grams, words,
  /// 2^14 buckets, uniform weights) for `algorithms`, writing the best model to `model`.
  static func smallTune(writing model: String, algorithms: String) -> [String] {
    [
      "tune", samples, "--folds", "2", "-o", model, "--algorithms", algorithms,
      "--alpha-values", "0.3", "--han-ngrams-values", "1-2", "--word-ngrams-values", "1",
      "--bucket-bits-values", "14", "--class-weights", "uniform", "--json",
    ]
  }

  @Test func tuneTriesSubwordLengths() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("best.crible").path
    let fixed = Self.smallTune(writing: model, algorithms: "naive-bayes")
    let result = try CommandRunner.run(fixed + ["--subwords-values", "3-5, 2-4,0"])
    #expect(result.status == 0, "\(result.stderr)")
    let board = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let names = try #require(board?["results"] as? [[String: Any]]).compactMap {
      $0["name"] as? String
    }
    func subwords(_ name: String) -> String? {
      name.split(separator: " ").first { $0.hasPrefix("subwords=") }.map(String.init)
    }
    #expect(names.count == 3)
    #expect(Set(names.compactMap(subwords)) == ["subwords=3-5", "subwords=2-4", "subwords=none"])
    // The subword lengths `info --json` shows for the written model.
    func storedSubwords() throws -> [Int]? {
      let info = try CommandRunner.run(["info", "--json", model])
      let object = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
      let features = (object?["pipeline"] as? [String: Any])?["features"] as? [String: Any]
      return features?["subwordNGrams"] as? [Int]
    }
    // The written model is the winner's configuration, subword lengths included.
    let best = try #require(board?["best"] as? String)
    let stored = try storedSubwords()
    let expected: [Int]? = ["subwords=3-5": [3, 5], "subwords=2-4": [2, 4]][subwords(best) ?? ""]
    #expect(stored == expected, "best \(best), stored \(String(describing: stored))")
    // One value other than the default: the written model has those lengths.
    let only = try CommandRunner.run(fixed + ["--subwords-values", "2-4"])
    #expect(only.status == 0, "\(only.stderr)")
    #expect(try storedSubwords() == [2, 4])
    // Without the option the grid keeps the pipeline's subwords: one candidate.
    let plain = try CommandRunner.run(fixed)
    let plainBoard =
      try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any]
    #expect(plainBoard?["candidates"] as? Int == 1)
    let bad = try CommandRunner.run(fixed + ["--subwords-values", "5-3"])
    #expect(bad.status != 0 && bad.stderr.contains("--subwords-values"), "\(bad.stderr)")
  }

  @Test func tuneTriesLearningRates() throws {
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("best.crible").path
    let fixed = Self.smallTune(writing: model, algorithms: "embeddings,naive-bayes")
    func names(_ result: CommandRunner.Result) throws -> [String] {
      #expect(result.status == 0, "\(result.stderr)")
      let board =
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      return try #require(board?["results"] as? [[String: Any]]).compactMap {
        $0["name"] as? String
      }
    }
    // The rates apply to the embeddings only: naive Bayes stays one candidate.
    let tried = try names(CommandRunner.run(fixed + ["--learning-rate-values", "0.25, 1"]))
    #expect(tried.count == 3)
    #expect(tried.filter { $0.contains("lr=0.25 ") }.count == 1)
    #expect(tried.filter { $0.contains("lr=1.0 ") }.count == 1)
    #expect(tried.filter { $0.hasPrefix("naive-bayes") && !$0.contains("lr=") }.count == 1)
    // One rate: the written model was trained with it.
    let one = try names(
      CommandRunner.run(fixed + ["--algorithms", "embeddings", "--learning-rate-values", "0.25"]))
    #expect(one.count == 1)
    let info = try CommandRunner.run(["info", "--json", model])
    let object = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
    let hyperparameters = object?["hyperparameters"] as? [String: Any]
    #expect(hyperparameters?["learning_rate"] as? Double == 0.25)
    let bad = try CommandRunner.run(fixed + ["--learning-rate-values", "0"])
    #expect(bad.status != 0 && bad.stderr.contains("--learning-rate-values"), "\(bad.stderr)")
  }
}

/// `evaluate --report`: one self-contained HTML page.
@Suite struct ReportCommandTests {
  @Test func reportIsSelfContained() throws {
    let root = CommandRunner.packageRoot
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let page = directory.appendingPathComponent("report.html")
    let result = try CommandRunner.run([
      "evaluate", "-m", root.appendingPathComponent("Models/offensive-zh-fr.crible").path,
      root.appendingPathComponent("Datasets/samples/labelled.tsv").path, "--report", page.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
    // A heat map and, for each of the two labels, a precision-recall and a ROC curve.
    #expect(html.components(separatedBy: "<svg").count - 1 == 5)
    #expect(html.contains("Confusion matrix") && html.contains("ROC, AUC"))
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
      #expect(!html.contains(forbidden), "the page loads something: \(forbidden)")
    }
  }
}

/// `merge`: shards' naive-Bayes models add up to the whole corpus's.
@Suite struct MergeCommandTests {
  @Test func mergedShardsLabelAsTheWholeCorpus() throws {
    let root = CommandRunner.packageRoot
    let directory = CommandRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let samples = try String(
      contentsOf: root.appendingPathComponent("Datasets/samples/labelled.tsv"), encoding: .utf8
    ).split(separator: "\n")
    let options = [
      "--algorithm", "naive-bayes", "--max-features", "0", "--alpha", "0.3", "--labels",
      "offensive,safe", "--bucket-bits", "16",
    ]
    var shards: [String] = []
    // Uneven shards; the first holds only safe messages (the samples start with them).
    for (index, range) in [0..<8, 8..<25, 25..<40].enumerated() {
      let file = directory.appendingPathComponent("shard\(index).tsv")
      try (samples[range].joined(separator: "\n") + "\n").write(
        to: file, atomically: true, encoding: .utf8)
      let model = directory.appendingPathComponent("shard\(index).crible").path
      let trained = try CommandRunner.run(["train", file.path, "-o", model] + options)
      #expect(trained.status == 0, "\(trained.stderr)")
      shards.append(model)
    }
    let merged = directory.appendingPathComponent("merged.crible").path
    let merging = try CommandRunner.run(["merge"] + shards + ["-o", merged])
    #expect(merging.status == 0 && merging.stderr.contains("Merged 3 models (40 examples"))
    let whole = directory.appendingPathComponent("whole.crible").path
    let all = root.appendingPathComponent("Datasets/samples/labelled.tsv").path
    #expect(try CommandRunner.run(["train", all, "-o", whole] + options).status == 0)
    let messages = root.appendingPathComponent("Datasets/samples/messages.txt").path
    let a = try CommandRunner.run(["label", "-m", merged, messages])
    let b = try CommandRunner.run(["label", "-m", whole, messages])
    #expect(a.status == 0 && a.stdout == b.stdout && a.stdout.split(separator: "\n").count == 40)
    // A pruned model cannot merge, and the message says what to do.
    let pruned = directory.appendingPathComponent("pruned.crible").path
    #expect(
      try CommandRunner.run([
        "train", all, "-o", pruned, "--algorithm", "naive-bayes", "--alpha", "0.3",
      ]).status == 0)
    let refused = try CommandRunner.run(["merge", shards[0], pruned, "-o", merged])
    #expect(refused.status == 64 && refused.stderr.contains("--max-features 0"))
  }
}

/// `Datasets/prepare/prepare.py`, the converters from each public source's format, on the
/// fixtures we wrote in those formats; skipped where there is no python3.
@Suite struct DatasetPreparationTests {
  static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  @Test(.enabled(if: python != nil)) func convertersPassTheirTests() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(Self.python))
    process.arguments = [
      CommandRunner.packageRoot.appendingPathComponent("Datasets/prepare/test_prepare.py").path
    ]
    let error = Pipe()
    process.standardError = error
    try process.run()
    let output = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(String(decoding: output, as: UTF8.self))")
  }
}
