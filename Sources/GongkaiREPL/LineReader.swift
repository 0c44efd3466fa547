@preconcurrency import CEditLine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the REPL's input lines come from: libedit on a terminal, plain lines otherwise
/// (`gongkai < analysis.gk` in scripts and tests).
public protocol LineReader: AnyObject {
    /// Reads one line without its newline; nil at end of input.
    func readLine(prompt: String) -> LineResult
    /// Records a statement in the history (one entry per statement, multi-line kept whole).
    func addHistory(_ entry: String)
}

/// What reading a line gave.
public enum LineResult: Equatable {
    /// A line of text.
    case line(String)
    /// Ctrl-C at the prompt: drop the current statement, keep going.
    case interrupted
    /// End of input (Ctrl-D on an empty line, or end of the piped file).
    case end
}

/// Plain line reading from standard input.
public final class PlainLineReader: LineReader {
    /// Creates a reader on stdin.
    public init() {}
    /// Reads one line (no prompt is printed: the output stays clean for scripts).
    public func readLine(prompt: String) -> LineResult {
        guard let l = Swift.readLine(strippingNewline: true) else { return .end }
        return .line(l)
    }
    /// Plain input keeps no history.
    public func addHistory(_ entry: String) {}
}

/// Set by the SIGINT handler; read by the REPL and by running queries (cancellation).
nonisolated(unsafe) public var interruptRequested: sig_atomic_t = 0

/// Line editing with libedit: history, completion, Chinese input.
public final class EditLineReader: LineReader {
    /// The history file.
    public let historyPath: String
    /// Completion candidates for the text before the cursor: (line so far, word) → words.
    nonisolated(unsafe) static var completer: ((String, String) -> [String])?

    /// Sets up libedit: locale for UTF-8 input, the double-width cursor fix, SIGINT, history.
    public init(historyPath: String, completer: @escaping (String, String) -> [String]) {
        self.historyPath = historyPath
        if setlocale(LC_ALL, "") == nil { setlocale(LC_ALL, "C.UTF-8") }
        Self.completer = completer
        rl_readline_name = UnsafePointer(strdup("gongkai"))
        rl_initialize()
        // libedit 3.1 misplaces the cursor on double-width characters when recalling history
        // unless these terminal capabilities are cleared.
        for cap in ["ic", "IC", "im", "dc", "DC"] { _ = rl_parse_and_bind("settc \(cap) \"\"") }
        rl_attempted_completion_function = { text, start, end in
            guard let text else { return nil }
            let word = String(cString: text)
            let line = rl_line_buffer.map { String(cString: $0) } ?? ""
            let prefix = String(decoding: Array(line.utf8).prefix(Int(start)), as: UTF8.self)
            let candidates = EditLineReader.completer?(prefix, word) ?? []
            guard !candidates.isEmpty else { return nil }
            // A NULL-terminated array whose first entry is the common prefix (readline's contract).
            let common = EditLineReader.commonPrefix(candidates)
            let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: candidates.count + 2)
            array[0] = strdup(candidates.count == 1 ? candidates[0] : common)
            for (i, c) in candidates.enumerated() { array[i + 1] = strdup(c) }
            array[candidates.count + 1] = nil
            return array
        }
        stifle_history(2000)
        _ = read_history(historyPath)
        signal(SIGINT) { _ in interruptRequested = 1 }
    }

    /// Reads a line with editing. Ctrl-C returns `.interrupted` (readline returns nil with
    /// EINTR, which is not end of input).
    public func readLine(prompt: String) -> LineResult {
        interruptRequested = 0
        errno = 0
        guard let p = readline(prompt) else {
            if interruptRequested != 0 || errno == EINTR {
                interruptRequested = 0
                print("")
                return .interrupted
            }
            return .end
        }
        defer { free(p) }
        return .line(String(cString: p))
    }

    /// Adds a statement to the history and saves the file (so every exit path keeps it).
    public func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        _ = add_history(entry)
        _ = write_history(historyPath)
    }

    /// Saves the history file.
    public func save() { _ = write_history(historyPath) }

    static func commonPrefix(_ words: [String]) -> String {
        guard var p = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(p) { p.removeLast() }
        }
        return p
    }
}
