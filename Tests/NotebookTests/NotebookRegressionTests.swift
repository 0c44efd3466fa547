import Foundation
import Testing
@testable import GongkaiCore
@testable import GongkaiNotebook

/// Notebook inputs the fuzzer (`make fuzz`, target `notebook`) found, with the behaviour now
/// expected.
@Suite("Notebook fuzz regressions")
struct NotebookRegressionTests {
    @Test("a parameter declared twice is an error naming it (was a trap: duplicate dictionary key)")
    func duplicateParameter() {
        let source = "---\nparams:\n  rate: 1\n  rate: 2\n---\ntext\n"
        #expect {
            try Notebook.parse(source, name: "dup.md")
        } throws: { error in
            "\(error)" == "dup.md: parameter rate is declared twice in the front matter"
        }
    }

    @Test("report text with HTML, an ANSI escape, a bidi override and CR is inert in notebook HTML")
    func hostileTextInHTML() {
        let t = DisplayTable(columns: ["<i>agency</i>"], rows: [[.text("<b>局</b>\u{1B}[31m红\u{202E}x\r")]])
        #expect(NotebookRenderer.htmlTable(t) == """
        <table class="result"><thead><tr><th>&lt;i&gt;agency&lt;/i&gt;</th></tr></thead><tbody>
        <tr><td>&lt;b&gt;局&lt;/b&gt;\u{FFFD}[31m红x\r</td></tr>
        </tbody></table>
        <p class="rows">1 row</p>

        """)
    }
}
