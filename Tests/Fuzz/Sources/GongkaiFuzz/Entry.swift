import CFuzzerDriver
import Foundation

/// The fuzzer's `main`. One binary serves every target; `GK_FUZZ_TARGET` picks it (`text`,
/// `markdown`, `html`, `docx`, `solver`, `query`, `notebook`, `report`), and the command line
/// is libFuzzer's (`-runs=`, `-max_len=`, `-timeout=`, corpus directories, …).
///
/// SwiftPM links an executable target's entry point as `main` (`--defsym main=gongkai_fuzz_main`),
/// so libFuzzer's own `main` is not used: this one picks the target and hands the command line
/// to `LLVMFuzzerRunDriver`.
///
/// With `GK_FUZZ_SEEDS=DIR` set, the binary instead writes the target's seed inputs into `DIR`
/// (from the files in `GK_FUZZ_SEED_FILES`, colon-separated, and generated reports; see
/// ``SeedWriter``) and exits.
@_cdecl("gongkai_fuzz_main")
public func gongkaiFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let env = ProcessInfo.processInfo.environment
    guard let target = FuzzTarget(rawValue: env["GK_FUZZ_TARGET"] ?? "") else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("gongkai-fuzz: set GK_FUZZ_TARGET to one of: \(names)\n".utf8))
        return 2
    }
    selectedTarget = target
    if let dir = env["GK_FUZZ_SEEDS"] {
        do {
            let files = (env["GK_FUZZ_SEED_FILES"] ?? "").split(separator: ":").map(String.init)
            let maxLength = env["GK_FUZZ_MAX_LEN"].flatMap(Int.init) ?? 4096
            let n = try SeedWriter(target: target, maxLength: maxLength).write(to: dir, from: files)
            print("gongkai-fuzz: wrote \(n) \(target.rawValue) seeds to \(dir)")
            return 0
        } catch {
            FileHandle.standardError.write(Data("gongkai-fuzz: cannot write seeds: \(error)\n".utf8))
            return 1
        }
    }
    var count = argc
    var args = argv
    return LLVMFuzzerRunDriver(&count, &args) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        selectedTarget.run(bytes)
        return 0
    }
}

/// The target chosen at start-up (set once, before fuzzing starts).
nonisolated(unsafe) var selectedTarget: FuzzTarget = .text
