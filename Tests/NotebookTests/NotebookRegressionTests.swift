import Foundation
import Testing
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
}
