import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads PDF reports through poppler's `pdftotext -bbox-layout`, rebuilding tables from word
/// positions because blank cells leave no trace in the extracted text.
///
/// Paragraphs come from visual lines joined at line spacing; tables from runs of lines whose
/// words stand in separate columns (see `PDFTableBuilder` for the column method). Spans carry
/// the 1-based page and the 1-based ordinal of the visual line in the document.
public struct PDFReader: DocumentReader {
    /// The `pdftotext` binary to run; nil searches `PATH` (so tests and packagers can pin one).
    public var pdftotextPath: String?
    /// Seconds `pdftotext` may run before it is killed, so a pathological PDF cannot hang a run.
    public var timeout: Double

    /// Creates a reader; by default `pdftotext` is found on `PATH` and given 60 seconds.
    public init(pdftotextPath: String? = nil, timeout: Double = 60) {
        self.pdftotextPath = pdftotextPath
        self.timeout = timeout
    }

    /// Reads a PDF file's bytes into paragraphs and tables.
    public func read(_ data: [UInt8], source: String) throws(IngestError) -> Document {
        guard !data.isEmpty else { throw IngestError(.empty, "\(source): the file is empty") }
        let tool = try locateTool()
        let xhtml = try run(tool, data: data, source: source)
        let pages = PDFBBoxParser.parse(xhtml.output)
        guard pages.contains(where: { !$0.words.isEmpty }) else {
            if !xhtml.errors.isEmpty {
                throw IngestError(.malformed, "\(source): pdftotext found no text and reported: \(xhtml.errors)")
            }
            throw IngestError(.empty, "\(source): the PDF has no extractable text (a scanned image needs OCR first)")
        }
        let blocks = PDFLayout.blocks(pages)
        guard !blocks.isEmpty else { throw IngestError(.empty, "\(source): the PDF has no extractable text") }
        return Document(source: source, format: .pdf, blocks: blocks)
    }

    // MARK: The subprocess

    static let missingMessage = "pdftotext not found: install poppler-utils (apt-get install poppler-utils)"

    /// The binary to run: the configured path, or the first `pdftotext` on `PATH`.
    func locateTool() throws(IngestError) -> String {
        if let p = pdftotextPath {
            guard FileManager.default.isExecutableFile(atPath: p) else { throw IngestError(.toolMissing, Self.missingMessage) }
            return p
        }
        guard let p = Self.findOnPath(ProcessInfo.processInfo.environment["PATH"]) else {
            throw IngestError(.toolMissing, Self.missingMessage)
        }
        return p
    }

    /// The first executable `pdftotext` in a `PATH`-style list of directories.
    static func findOnPath(_ path: String?) -> String? {
        for dir in (path ?? "").split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/pdftotext"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `pdftotext -bbox-layout` with a timeout; returns its XHTML and its stderr.
    func run(_ tool: String, data: [UInt8], source: String) throws(IngestError) -> (output: [UInt8], errors: String) {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("gongkai-pdf-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw IngestError(.unreadable, "\(source): cannot create a temporary folder for pdftotext: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: dir) }

        // The original file when it is the same bytes on disk, else a temporary copy.
        var input = source
        let size = (try? fm.attributesOfItem(atPath: source)[.size] as? NSNumber)?.intValue
        if size != data.count {
            input = dir.appendingPathComponent("input.pdf").path
            guard fm.createFile(atPath: input, contents: Data(data)) else {
                throw IngestError(.unreadable, "\(source): cannot write a temporary copy for pdftotext")
            }
        } else if input.hasPrefix("-") {
            input = "./" + input
        }
        let outPath = dir.appendingPathComponent("out.html").path
        let errPath = dir.appendingPathComponent("stderr.txt").path
        guard fm.createFile(atPath: errPath, contents: nil), let errHandle = FileHandle(forWritingAtPath: errPath) else {
            throw IngestError(.unreadable, "\(source): cannot create a temporary file for pdftotext")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-bbox-layout", "-enc", "UTF-8", input, outPath]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errHandle
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do {
            try process.run()
        } catch {
            try? errHandle.close()
            throw IngestError(.toolMissing, "\(Self.missingMessage) (running \(tool) failed: \(error.localizedDescription))")
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = done.wait(timeout: .now() + 2)
            }
            try? errHandle.close()
            throw IngestError(.malformed, "\(source): pdftotext did not finish within \(Int(timeout)) s; the PDF may be damaged or pathological")
        }
        try? errHandle.close()
        let errors = Self.summarize(fm.contents(atPath: errPath) ?? Data())
        let status = process.terminationStatus
        guard status == 0 else {
            let why = errors.isEmpty ? "exit status \(status)" : errors
            throw IngestError(.malformed, "\(source): not a readable PDF (pdftotext: \(why))")
        }
        guard let out = fm.contents(atPath: outPath) else {
            throw IngestError(.malformed, "\(source): pdftotext wrote no output\(errors.isEmpty ? "" : ": \(errors)")")
        }
        return ([UInt8](out), errors)
    }

    /// The distinct lines of pdftotext's stderr, shortened for a message.
    static func summarize(_ data: Data) -> String {
        var seen: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let l = line.trimmingCharacters(in: .whitespaces)
            if !l.isEmpty && !seen.contains(l) { seen.append(l) }
            if seen.count == 4 { break }
        }
        let text = seen.joined(separator: "; ")
        return text.count > 400 ? String(text.prefix(400)) + "…" : text
    }
}
