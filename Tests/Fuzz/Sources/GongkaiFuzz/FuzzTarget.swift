import Foundation
import GongkaiCore

/// What one fuzz target feeds its input to. Every target only has to return normally: an
/// error thrown by Gongkai (``IngestError``, diagnostics) is the right answer to a bad input;
/// a trap, a crash or a hang is a bug.
enum FuzzTarget: String, CaseIterable {
    /// ``TextReader`` on a `.txt` file (pdftotext output, crawled text, digit runs).
    case text
    /// ``TextReader`` on a `.md` file (markdown / OCR output with pipe tables).
    case markdown
    /// ``HTMLReader``.
    case html
    /// ``DocxReader``: a ZIP as given, or any other bytes as `word/document.xml` of a stored ZIP.
    case docx
    /// ``DigitRunSolver``: the bytes decode into a row shape and a digit run (``SolverInput``).
    case solver
    /// The pipeline language: ``Query/compile(_:catalog:)``, the optimizer and `explain`.
    case query
    /// The notebook parser, parameter substitution and the HTML and Markdown renderers.
    case notebook
    /// The whole ingest pipeline: ``ReportParser/parse(data:source:format:)`` (reader,
    /// matcher, solver, metadata, checks) with the format chosen by the first byte.
    case report

    /// Runs one input.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .text: ReaderTargets.read(TextReader(), bytes, source: "fuzz.txt")
        case .markdown: ReaderTargets.read(TextReader(), bytes, source: "fuzz.md")
        case .html: ReaderTargets.read(HTMLReader(), bytes, source: "fuzz.html")
        case .docx: ReaderTargets.read(DocxReader(), ReaderTargets.docxBytes(bytes), source: "fuzz.docx")
        case .solver: SolverTarget.run(bytes)
        case .query: QueryTarget.run(bytes)
        case .notebook: NotebookTarget.run(bytes)
        case .report: ReaderTargets.report(bytes)
        }
    }
}
