/// The words that identify each printed row, as real reports print them (variants, typos,
/// shortened forms). Matching is on the label normal form (no spaces, half-width brackets).
enum RowLabels {
    /// Keywords of section 三's rows. A row's label may carry text of earlier label-only rows
    /// (shredded headers, rowspan labels), so the keyword that ends last decides.
    static let applications: [(row: String, keywords: [String])] = [
        ("new_received", ["本年新收", "新收政府信息公开申请", "本年新收到"]),
        ("carried_over", ["上年结转", "上年度结转"]),
        ("granted", ["予以公开"]),
        ("partially_granted", ["部分公开", "区分处理"]),
        ("denied_state_secret", ["国家秘密"]),
        ("denied_prohibited_by_law", ["禁止公开", "其他法律行政法规"]),
        ("denied_three_safeties", ["三安全", "一稳定"]),
        ("denied_third_party", ["第三方"]),
        ("denied_internal_affairs", ["内部事务"]),
        ("denied_process_info", ["过程性"]),
        ("denied_enforcement_file", ["执法案卷"]),
        ("denied_admin_query", ["行政查询", "查询事项"]),
        ("unable_not_held", ["不掌握"]),
        ("unable_needs_creation", ["另行制作", "没有现成"]),
        ("unable_unclear", ["不明确"]),
        ("not_processed_petition", ["信访", "举报投诉"]),
        ("not_processed_duplicate", ["重复申请"]),
        ("not_processed_publication", ["出版物"]),
        ("not_processed_excessive", ["大量反复", "反复申请"]),
        ("not_processed_confirmation", ["重新出具", "确认或"]),
        ("other", ["其他处理"]),
        ("other_overdue_correction", ["不补正", "逾期不补"]),
        ("other_unpaid_fee", ["缴纳费用", "收费通知"]),
        ("other_other", ["3.其他", "3、其他"]),
        ("total_processed", ["总计", "合计"]),
        ("carried_forward", ["结转下年", "继续办理", "转下年度", "结转下一年"]),
    ]

    /// Keywords of section 二's rows. These rows are matched without regard to order
    /// (some reports print them out of order).
    static let proactive: [(row: String, keywords: [String])] = [
        ("regulations", ["规章"]),
        ("normative_documents", ["规范性文件"]),
        ("licensing", ["行政许可"]),
        ("other_services", ["对外管理服务", "其他对外管理"]),
        ("penalty", ["行政处罚"]),
        ("coercion", ["行政强制"]),
        ("fees", ["事业性收费", "行政事业收费"]),
        ("procurement", ["集中采购", "政府采购"]),
    ]

    /// Labels that mark the 2019 generation.
    static let markers2019 = ["本年新制作数量", "新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量", "采购总金额", "集中采购"]
    /// Labels that mark the 2021 generation.
    static let markers2021 = ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "不补正", "缴纳费用", "收费通知"]

    /// A keyword found in a label: which row it names and where it ends.
    struct Hit: Equatable {
        var row: String
        var end: Int
    }

    /// All keyword hits in a label (normal form), one per row (its last occurrence).
    static func hits(in norm: String, table: [(row: String, keywords: [String])]) -> [Hit] {
        hits(in: norm, compiled: KeywordIndex(table))
    }

    /// Keyword tables as UTF-8 bytes, indexed once.
    static let applicationBytes = KeywordIndex(applications)
    static let proactiveBytes = KeywordIndex(proactive)

    /// A row table's keywords as UTF-8 bytes, grouped by their first byte, so that one pass
    /// over a label finds every occurrence of every keyword.
    struct KeywordIndex: Sendable {
        /// The row names, in table order.
        let rows: [String]
        /// All keyword bytes, one after another.
        private let bytes: [UInt8]
        /// Per keyword, grouped by first byte: where its bytes start, their count, and its row.
        private let starts: [Int], lengths: [Int], rowOf: [Int]
        /// For each first byte, the keywords starting with it (a range of the arrays above).
        private let byFirst: [Range<Int>]

        init(_ table: [(row: String, keywords: [String])]) {
            rows = table.map(\.row)
            var groups = [[(bytes: [UInt8], row: Int)]](repeating: [], count: 256)
            for (r, entry) in table.enumerated() {
                for k in entry.keywords {
                    let b = Array(k.utf8)
                    if let f = b.first { groups[Int(f)].append((b, r)) }
                }
            }
            var bytes: [UInt8] = [], starts: [Int] = [], lengths: [Int] = [], rowOf: [Int] = []
            var byFirst: [Range<Int>] = []
            for group in groups {
                let lo = starts.count
                for (b, r) in group {
                    starts.append(bytes.count)
                    lengths.append(b.count)
                    rowOf.append(r)
                    bytes += b
                }
                byFirst.append(lo..<starts.count)
            }
            (self.bytes, self.starts, self.lengths, self.rowOf, self.byFirst) = (bytes, starts, lengths, rowOf, byFirst)
        }

        /// Calls `found(row, end)` for every occurrence of every keyword in `hay`.
        func forEachOccurrence(in hay: UnsafeBufferPointer<UInt8>, _ found: (Int, Int) -> Void) {
            bytes.withUnsafeBufferPointer { pool in
                for i in 0..<hay.count {
                    for k in byFirst[Int(hay[i])] where lengths[k] <= hay.count - i {
                        let s = starts[k], n = lengths[k]
                        var j = 1
                        while j < n && hay[i + j] == pool[s + j] { j += 1 }
                        if j == n { found(rowOf[k], i + n) }
                    }
                }
            }
        }
    }

    private static let qita = Array("其他".utf8)

    static func hits(in norm: String, compiled table: KeywordIndex) -> [Hit] {
        var norm = norm
        return norm.withUTF8 { hay in
            // The end of each row's last keyword occurrence: the largest end of any occurrence.
            var best = [Int](repeating: -1, count: table.rows.count)
            table.forEachOccurrence(in: hay) { row, end in if end > best[row] { best[row] = end } }
            var out: [Hit] = []
            for (row, end) in best.enumerated() where end >= 0 { out.append(Hit(row: table.rows[row], end: end)) }
            // `3.其他` at the very end of a label names the 2021 row 其他 even when written `其他`.
            if hay.count >= 6, hay.count >= qita.count, hay[(hay.count - qita.count)...].elementsEqual(qita),
               !out.contains(where: { $0.row == "other_other" }) {
                let before = hay[..<(hay.count - qita.count)]
                if before.isEmpty || before.last == UInt8(ascii: ".") && before.dropLast().last == UInt8(ascii: "3") {
                    out.append(Hit(row: "other_other", end: hay.count))
                }
            }
            return out.sorted { $0.end < $1.end }
        }
    }

    /// The generation markers, 2019's first, as one keyword table (a row per marker).
    static let markerIndex = KeywordIndex((markers2019 + markers2021).map { (row: $0, keywords: [$0]) })

    /// Counts how many marker labels of each generation occur in the text.
    static func generationVotes(_ norm: String) -> (v2019: Int, v2021: Int) {
        var norm = norm
        return norm.withUTF8 { hay in
            var seen = [Bool](repeating: false, count: markers2019.count + markers2021.count)
            markerIndex.forEachOccurrence(in: hay) { marker, _ in seen[marker] = true }
            let a = seen[..<markers2019.count].filter { $0 }.count
            let b = seen[markers2019.count...].filter { $0 }.count
            return (a, b)
        }
    }

    /// Offset of the first occurrence of `needle` in `hay`.
    static func firstIndex<C: RandomAccessCollection>(of needle: [UInt8], in hay: C) -> Int? where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty, needle.count <= hay.count else { return nil }
        let first = needle[0]
        var i = hay.startIndex
        while i <= hay.endIndex - needle.count {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension String {
    /// Whether the text contains `needle` (byte search; no Foundation).
    func containsText(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        return utf8.withContiguousStorageIfAvailable { RowLabels.firstIndex(of: n, in: $0) != nil }
            ?? (RowLabels.firstIndex(of: n, in: Array(utf8)) != nil)
    }
}
