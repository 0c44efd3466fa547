import Foundation
import Yams

extension Notebook {
    /// Parses notebook source text.
    public static func parse(_ text: String, name: String = "notebook") throws -> Notebook {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var title = name
        var params: [Parameter] = []
        var workspace: String?
        var i = 0
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
                throw NotebookError("\(name): front matter opened with --- on line 1 is not closed")
            }
            let yaml = lines[1..<end].joined(separator: "\n")
            let node: Node?
            do { node = try Yams.compose(yaml: yaml) } catch {
                throw NotebookError("\(name): front matter is not valid YAML: \(error)")
            }
            if let map = node?.mapping {
                if let t = map["title"]?.string { title = t }
                if let w = map["workspace"]?.string { workspace = w }
                if let p = map["params"] {
                    guard let pm = p.mapping else { throw NotebookError("\(name): params must be a mapping of name: default") }
                    for (k, v) in pm {
                        guard let key = k.string, !key.isEmpty else { continue }
                        if params.contains(where: { $0.name == key }) {
                            throw NotebookError("\(name): parameter \(key) is declared twice in the front matter")
                        }
                        params.append(Parameter(name: key, value: try value(v, name: name, param: key)))
                    }
                }
            }
            i = end + 1
        }
        var parts: [Part] = []
        var prose: [String] = []
        var cellNumber = 0
        func flushProse() {
            let p = prose.joined(separator: "\n").trimmingCharacters(in: .newlines)
            if !p.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(.prose(p)) }
            prose = []
        }
        while i < lines.count {
            let line = lines[i]
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("```gongkai") || t == "```{gongkai}" {
                flushProse()
                let open = i + 1
                var body: [String] = []
                var options: [String: String] = [:]
                i += 1
                while i < lines.count && lines[i].trimmingCharacters(in: .whitespaces) != "```" {
                    let l = lines[i]
                    if l.hasPrefix("#|") {
                        let opt = l.dropFirst(2)
                        if let colon = opt.firstIndex(of: ":") {
                            options[opt[..<colon].trimmingCharacters(in: .whitespaces)] = opt[opt.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                        }
                    } else {
                        body.append(l)
                    }
                    i += 1
                }
                if i >= lines.count { throw NotebookError("\(name): the cell opened on line \(open) is not closed with ```") }
                cellNumber += 1
                parts.append(.cell(Cell(number: cellNumber, source: body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines), options: options, line: open)))
            } else {
                prose.append(line)
            }
            i += 1
        }
        flushProse()
        return Notebook(title: title, parameters: params, workspace: workspace, parts: parts)
    }

    static func value(_ node: Node, name: String, param: String) throws -> ParameterValue {
        guard let scalar = node.scalar else { throw NotebookError("\(name): parameter \(param) must be a single value") }
        if scalar.style == .plain {
            if let i = Int(scalar.string) { return .integer(i) }
            if let _ = Double(scalar.string), scalar.string.contains(".") { return .decimal(scalar.string) }
            if scalar.string == "true" || scalar.string == "false" { return .bool(scalar.string == "true") }
        }
        return .text(scalar.string)
    }

    /// Applies `-p name=value` overrides: unknown names and ill-typed values are errors.
    public func binding(_ overrides: [String]) throws -> [String: ParameterValue] {
        var values = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) })
        for o in overrides {
            guard let eq = o.firstIndex(of: "=") else { throw NotebookError("parameter \"\(o)\" must be name=value") }
            let key = String(o[..<eq]), text = String(o[o.index(after: eq)...])
            guard let current = values[key] else {
                throw NotebookError("unknown parameter \"\(key)\"; the notebook declares: \(parameters.map(\.name).joined(separator: ", "))")
            }
            guard let v = current.parsing(text) else {
                throw NotebookError("parameter \(key) is \(current.typeName) but \"\(text)\" is not")
            }
            values[key] = v
        }
        return values
    }

    /// Prose or a caption with `$name` replaced by the parameter's plain value (unknown names stay).
    public static func substituteText(_ text: String, _ values: [String: ParameterValue]) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "$" {
                var j = text.index(after: i)
                while j < text.endIndex, text[j].isLetter || text[j].isNumber || text[j] == "_" { j = text.index(after: j) }
                if let v = values[String(text[text.index(after: i)..<j])] {
                    out += v.description
                    i = j
                    continue
                }
            }
            out.append(text[i])
            i = text.index(after: i)
        }
        return out
    }

    /// A cell's source with `$name` replaced by typed literals; unknown `$names` are errors.
    public static func substitute(_ source: String, _ values: [String: ParameterValue], cell: Cell) throws -> String {
        var out = ""
        var i = source.startIndex
        var inString = false
        while i < source.endIndex {
            let c = source[i]
            if c == "\"" { inString.toggle() }
            if c == "$" && !inString {
                var j = source.index(after: i)
                while j < source.endIndex, source[j].isLetter || source[j].isNumber || source[j] == "_" { j = source.index(after: j) }
                let key = String(source[source.index(after: i)..<j])
                if !key.isEmpty {
                    guard let v = values[key] else {
                        throw NotebookError("cell \(cell.number) (\(cell.firstLine)): unknown parameter $\(key)")
                    }
                    out += v.literal
                    i = j
                    continue
                }
            }
            out.append(c)
            i = source.index(after: i)
        }
        return out
    }
}
