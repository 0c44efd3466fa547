// The region resolver: ties a report to a place through the built-in gazetteer
// (Gazetteer.swift). Everything in this file is hand-written.

/// Works out the ``Region`` of a report from its agency name and text, using the
/// ``Gazetteer``, so every parsed report can be filed under province / city / county.
///
/// Rules, in order:
/// 1. **Agency first.** Place names in the agency string are read left to right as a
///    chain (上海市 → 浦东新区); the deepest link is the agency's division, and the
///    gazetteer supplies the missing parents (中卫市沙坡头区统计局 → 宁夏回族自治区 / 中卫市 /
///    沙坡头区). The agency decides the depth: text never pushes a 上海市 body down to a
///    district. Zone aliases (``Gazetteer/zoneAliases``) count as names (平潭综合实验区 → 平潭县).
/// 2. **Municipalities.** 北京/天津/上海/重庆 have no prefecture level, so `city` is always
///    `nil`: their own organs get `province` only, district bodies get `province` and
///    `county` (上海市浦东新区… → 上海市 / nil / 浦东新区). Province-administered county-level
///    units (仙桃市, 济源市, …) likewise have no `city`.
/// 3. **Ambiguity.** A name shared by several divisions (鼓楼区, 朝阳区) is settled by
///    unambiguous names elsewhere in the agency or text that are it or its ancestors; if
///    that does not single one out, only levels on which all candidates agree are filled.
/// 4. **Text fallback.** When the agency names no place, the text's title, 发布机构 and
///    来源 values are read like an agency; failing that, mentions are tallied up the tree and
///    the resolver descends while one child clearly dominates (≥ 1/3 of its parent's weight).
/// 5. **Window.** Text evidence comes only from the first ``textWindow`` characters and the
///    values of 来源/发布机构/信息来源 fields anywhere, so places named deep in the
///    narrative cannot override the agency's own region.
/// 6. **Matching.** Full names win over short ones (longest match). Short forms are
///    indexed for provinces (宁夏, 上海) and prefectures (中卫, 恩施州), not for bare county
///    stems; a short form must start at a word boundary and must not be a street (北京路).
public enum RegionResolver {
    /// How many leading characters of the report text are searched for evidence.
    public static let textWindow = 2000

    /// The report's region from its agency name and text (see the type's rules). The text
    /// is made only when the agency alone does not name a single place: then only is it
    /// evidence.
    public static func resolve(agency: String, text: @autoclosure () -> String) -> Region {
        resolve(agency: agency, text: text(), gazetteer: .shared)
    }

    static func resolve(agency: String, text makeText: @autoclosure () -> String, gazetteer g: Gazetteer) -> Region {
        let agencyMentions = g.matcher.scan(scalars(agency), gazetteer: g)
        // Evidence only ranks several candidates: a chain ending in one place needs none.
        let agencyLink = deepestLink(agencyMentions, g)
        if agencyLink.count == 1 { return g.region(index: agencyLink[0]) }
        let text = makeText()
        let window = scalars(text, limit: textWindow)
        let fields = fieldValues(text)
        let windowMentions = g.matcher.scan(window, gazetteer: g)
        let fieldMentions = fields.map { (key: $0.key, mentions: g.matcher.scan($0.value, gazetteer: g)) }

        // Unambiguous names anywhere in the evidence, weighted.
        var evidence: [Int32: Int] = [:]
        for m in agencyMentions where m.candidates.count == 1 { evidence[m.candidates[0], default: 0] += 3 }
        for m in windowMentions where m.candidates.count == 1 { evidence[m.candidates[0], default: 0] += 1 }
        for f in fieldMentions { for m in f.mentions where m.candidates.count == 1 { evidence[m.candidates[0], default: 0] += 3 } }

        switch outcome(agencyLink, evidence: evidence, g) {
        case .resolved(let i): return g.region(index: i)
        case .ambiguous(let ids): return agreeing(ids, g)
        case .none: break
        }

        // The agency names no place: read the title, 发布机构 and 来源 like an agency.
        var headers: [[NameMention]] = titleLines(window).map { g.matcher.scan($0, gazetteer: g) }
        headers += fieldMentions.filter { $0.key == .publisher }.map(\.mentions)
        headers += fieldMentions.filter { $0.key == .source }.map(\.mentions)
        for h in headers {
            if case .resolved(let i) = chain(h, evidence: evidence, g) { return g.region(index: i) }
        }
        return descend(windowMentions, fieldMentions.flatMap(\.mentions), evidence: evidence, g)
    }

    enum Outcome { case none, resolved(Int32), ambiguous([Int32]) }

    /// Reads mentions as a chain of nested places and returns the deepest link.
    static func chain(_ mentions: [NameMention], evidence: [Int32: Int], _ g: Gazetteer) -> Outcome {
        outcome(deepestLink(mentions, g), evidence: evidence, g)
    }

    /// The candidates of the deepest link of the chain of nested places the mentions read
    /// as (none when there is no mention).
    static func deepestLink(_ mentions: [NameMention], _ g: Gazetteer) -> [Int32] {
        var current: [Int32] = []
        for m in mentions {
            if current.isEmpty { current = m.candidates; continue }
            let deeper = m.candidates.filter { c in current.contains { g.isAncestor($0, of: c) } }
            if !deeper.isEmpty { current = deeper; continue }
            // A repeat or an ancestor of what we have (宁夏…中卫市…宁夏) is harmless; anything
            // else is a different place and ends the chain.
            let related = m.candidates.contains { c in current.contains { $0 == c || g.isAncestor(c, of: $0) } }
            if !related { break }
        }
        return current
    }

    /// The place a chain's deepest link (``deepestLink(_:_:)``) stands for, given the evidence.
    static func outcome(_ link: [Int32], evidence: [Int32: Int], _ g: Gazetteer) -> Outcome {
        if link.isEmpty { return .none }
        let best = bestSupported(link, evidence: evidence, g)
        return best.count == 1 ? .resolved(best[0]) : .ambiguous(best)
    }

    /// The candidates best supported by unambiguous mentions of themselves or their
    /// ancestors (all of them when nothing supports any).
    static func bestSupported(_ ids: [Int32], evidence: [Int32: Int], _ g: Gazetteer) -> [Int32] {
        guard ids.count > 1 else { return ids }
        var best: [Int32] = []
        var bestScore = 0
        for c in ids {
            var score = 0
            for (e, w) in evidence where e == c || g.isAncestor(e, of: c) { score += w }
            if score > bestScore { best = [c]; bestScore = score } else if score == bestScore && score > 0 { best.append(c) }
        }
        return bestScore > 0 ? best : ids
    }

    /// The single best-supported candidate, or `nil` when evidence does not single one out.
    static func disambiguate(_ ids: [Int32], evidence: [Int32: Int], _ g: Gazetteer) -> Int32? {
        let best = bestSupported(ids, evidence: evidence, g)
        return best.count == 1 ? best[0] : nil
    }

    /// Keeps only the levels on which every candidate's region agrees.
    static func agreeing(_ ids: [Int32], _ g: Gazetteer) -> Region {
        let regions = ids.map { g.region(index: $0) }
        guard var r = regions.first else { return Region() }
        for o in regions.dropFirst() {
            if o.province != r.province { r.province = nil }
            if o.city != r.city { r.city = nil }
            if o.county != r.county { r.county = nil }
        }
        return r
    }

    /// Tallies mentions up the tree and descends while one child clearly dominates.
    static func descend(_ window: [NameMention], _ fields: [NameMention], evidence: [Int32: Int], _ g: Gazetteer) -> Region {
        var acc: [Int32: Int] = [:]
        func add(_ m: NameMention, _ w: Int) {
            guard let i = m.candidates.count == 1 ? m.candidates[0] : disambiguate(m.candidates, evidence: evidence, g)
            else { return }
            var j = i
            while j >= 0 { acc[j, default: 0] += w; j = g.parentIndex[Int(j)] }
        }
        for m in window { add(m, 1) }
        for m in fields { add(m, 3) }
        func bestChild(of parent: Int32) -> Int32? {
            var best: Int32 = -1, bestW = 0, tie = false
            for (i, w) in acc where g.parentIndex[Int(i)] == parent {
                if w > bestW { best = i; bestW = w; tie = false } else if w == bestW { tie = true }
            }
            return best >= 0 && !tie ? best : nil
        }
        guard var node = bestChild(of: -1) else { return Region() }
        while let child = bestChild(of: node), acc[child]! * 3 >= acc[node]! { node = child }
        return g.region(index: node)
    }

    // MARK: text helpers

    /// The Unicode scalar values of `s`, at most `limit` of them: the gazetteer's name
    /// matcher compares scalars.
    static func scalars(_ s: String, limit: Int = .max) -> [UInt32] {
        var out: [UInt32] = []
        // Decoded from the (valid) UTF-8 when it is contiguous. (An array made with
        // `init(unsafeUninitializedCapacity:)` took an unspecialized allocation, ≈ 540 Ir.)
        if s.utf8.withContiguousStorageIfAvailable({ (b: UnsafeBufferPointer<UInt8>) -> Void in
            out.reserveCapacity(min(limit, b.count))
            var i = 0
            while i < b.count && out.count < limit {
                let (value, length) = TextNormalization.decodeScalar(b, at: i)
                out.append(value)
                i += length
            }
        }) != nil { return out }
        out.reserveCapacity(min(limit, s.utf8.count))
        for u in s.unicodeScalars {
            if out.count >= limit { break }
            out.append(u.value)
        }
        return out
    }

    enum FieldKey { case publisher, source }

    /// Values of `来源：…`, `信息来源：…` and `发布机构：…` fields anywhere in the text
    /// (page chrome of crawled reports), each up to the next whitespace.
    static func fieldValues(_ text: String) -> [(key: FieldKey, value: [UInt32])] {
        if let r = text.utf8.withContiguousStorageIfAvailable({ fieldValues(utf8: $0) }) { return r }
        return Array(text.utf8).withUnsafeBufferPointer { fieldValues(utf8: $0) }
    }

    static let fieldKeys: [(FieldKey, [UInt8])] = [(.source, Array("来源".utf8)), (.publisher, Array("发布机构".utf8))]
    static let xinxi: [UInt8] = Array("信息".utf8)

    static func fieldValues(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [(key: FieldKey, value: [UInt32])] {
        func has(_ kb: [UInt8], at i: Int) -> Bool {
            guard i >= 0, i + kb.count <= bytes.count else { return false }
            var k = 0
            while k < kb.count { if bytes[i + k] != kb[k] { return false }; k += 1 }
            return true
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var out: [(key: FieldKey, value: [UInt32])] = []
        let n = bytes.count
        let keys = fieldKeys
        // Each key's next occurrence at or after `i` (Int.max: none), found by byte search and
        // searched again only once `i` has passed it. A key's lead byte never continues a
        // scalar, so every byte match starts a character.
        var nextAt = [Int](repeating: -1, count: keys.count)
        var i = 0
        while i < n {
            var k = -1
            for q in keys.indices {
                if nextAt[q] < i {
                    nextAt[q] = keys[q].1.withUnsafeBufferPointer { ByteSearch.firstOffset(of: $0, in: UnsafeBufferPointer(rebasing: bytes[i...])) }
                        .map { i + $0 } ?? Int.max
                }
                if nextAt[q] != Int.max && (k < 0 || nextAt[q] < nextAt[k]) { k = q }
            }
            guard k >= 0 else { break }
            i = nextAt[k]
            let (key, klen) = (keys[k].0, keys[k].1.count)
            var j = i + klen
            // Left boundary: start, ASCII (space, newline, ':'), a non-Han character, or 信息来源.
            var leftOK = i == 0 || bytes[i - 1] < 0x80 || has(xinxi, at: i - 6)
            if !leftOK, i >= 3, bytes[i - 3] >= 0xE0 {
                let c = UInt32(bytes[i - 3] & 0x0F) << 12 | UInt32(bytes[i - 2] & 0x3F) << 6 | UInt32(bytes[i - 1] & 0x3F)
                leftOK = !NameMatcher.isHan(c)
            }
            guard leftOK else { i = j; continue }
            while j < n && isSpace(bytes[j]) { j += 1 }
            // Colon: ASCII ':' or full-width '：' (EF BC 9A).
            if j < n && bytes[j] == 0x3A {
                j += 1
            } else if j + 2 < n && bytes[j] == 0xEF && bytes[j + 1] == 0xBC && bytes[j + 2] == 0x9A {
                j += 3
            } else {
                i = j; continue
            }
            while j < n && isSpace(bytes[j]) { j += 1 }
            var e = j
            while e < n && e - j < 120 && !isSpace(bytes[e]) && bytes[e] != 0x0A && bytes[e] != 0x0D { e += 1 }
            if e > j {
                let v = String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<e]), as: UTF8.self)
                out.append((key: key, value: scalars(v, limit: 40)))
            }
            i = max(e, i + klen)
        }
        return out
    }

    /// The report title: the value of a `标题:` line, else those of the first three
    /// non-empty lines that look like a title (≤ 60 characters, no ，。；), not narrative.
    static func titleLines(_ window: [UInt32]) -> [[UInt32]] {
        let lines = window.split(separator: 0x0A, omittingEmptySubsequences: true)
            .map { Array($0.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x3000 }) }
            .filter { !$0.isEmpty }
        let title = Array("标题".unicodeScalars.map(\.value))
        for l in lines.prefix(12) where l.starts(with: title) {
            return [Array(l.dropFirst(2).drop { $0 == 0x3A || $0 == 0xFF1A || $0 == 0x20 }.prefix(100))]
        }
        let sentencePunct: Set<UInt32> = [0xFF0C, 0x3002, 0xFF1B]  // ， 。 ；
        return lines.prefix(3).filter { $0.count <= 60 && !$0.contains(where: sentencePunct.contains) }
    }
}
