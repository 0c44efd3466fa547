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

    /// Keyword tables as UTF-8 bytes, indexed once.
    static let applicationBytes = KeywordIndex(applications)
    static let proactiveBytes = KeywordIndex(proactive)

    /// A row table's keywords as UTF-8 bytes, grouped by their first byte, so that one pass
    /// over a label finds every occurrence of every keyword.
    struct KeywordIndex: Sendable {
        /// The row names, in table order.
        let rows: [String]
        /// The row names, then `other_other` when the table has no such row (the name
        /// ``RowLabels/hitRows(in:compiled:)`` gives a trailing `其他`).
        let names: [String]
        /// Index of `other_other` in ``names``.
        let otherOther: Int
        /// All keyword bytes, one after another.
        private let bytes: [UInt8]
        /// Per keyword, grouped by bucket: where its bytes start, their count, and its row.
        private let starts: [Int], lengths: [Int], rowOf: [Int]
        /// For each bucket of a keyword's first two bytes, the keywords in it (a range of the
        /// arrays above). One-byte keywords are in ``short``.
        private let buckets: [Range<Int>]
        /// Keywords of one byte: the byte and the row.
        private let short: [(byte: UInt8, row: Int)]

        /// The bucket of two leading bytes: the low bits of a lead byte and of its first
        /// continuation byte, so the CJK characters keywords start with rarely share one.
        @inline(__always)
        private static func bucket(_ b0: UInt8, _ b1: UInt8) -> Int { Int(b0 & 0x0F) << 6 | Int(b1 & 0x3F) }
        private static let bucketCount = 1 << 10

        init(_ table: [(row: String, keywords: [String])]) {
            rows = table.map(\.row)
            let other = rows.firstIndex(of: "other_other")
            names = other == nil ? rows + ["other_other"] : rows
            otherOther = other ?? rows.count
            var groups = [[(bytes: [UInt8], row: Int)]](repeating: [], count: Self.bucketCount)
            var short: [(byte: UInt8, row: Int)] = []
            for (r, entry) in table.enumerated() {
                for k in entry.keywords {
                    let b = Array(k.utf8)
                    if b.count >= 2 { groups[Self.bucket(b[0], b[1])].append((b, r)) } else if let f = b.first { short.append((f, r)) }
                }
            }
            var bytes: [UInt8] = [], starts: [Int] = [], lengths: [Int] = [], rowOf: [Int] = []
            var buckets: [Range<Int>] = []
            for group in groups {
                let lo = starts.count
                for (b, r) in group {
                    starts.append(bytes.count)
                    lengths.append(b.count)
                    rowOf.append(r)
                    bytes += b
                }
                buckets.append(lo..<starts.count)
            }
            (self.bytes, self.starts, self.lengths, self.rowOf, self.buckets, self.short) = (bytes, starts, lengths, rowOf, buckets, short)
        }

        /// Calls `found(row, end)` for every occurrence of every keyword in `hay`.
        func forEachOccurrence(in hay: UnsafeBufferPointer<UInt8>, _ found: (Int, Int) -> Void) {
            let n = hay.count
            bytes.withUnsafeBufferPointer { pool in
                starts.withUnsafeBufferPointer { starts in
                    lengths.withUnsafeBufferPointer { lengths in
                        rowOf.withUnsafeBufferPointer { rowOf in
                            buckets.withUnsafeBufferPointer { buckets in
                                for i in 0..<n {
                                    let b0 = hay[i]
                                    // No keyword starts with a UTF-8 continuation byte.
                                    if b0 & 0xC0 == 0x80 { continue }
                                    for (byte, row) in short where byte == b0 { found(row, i + 1) }
                                    guard i + 1 < n else { continue }
                                    for k in buckets[Self.bucket(b0, hay[i + 1])] where lengths[k] <= n - i {
                                        let s = starts[k], len = lengths[k]
                                        var j = 0
                                        while j < len && hay[i + j] == pool[s + j] { j += 1 }
                                        if j == len { found(rowOf[k], i + len) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static let qita = Array("其他".utf8)

    /// All keyword hits in a label (its normal form's bytes), one per row (its last
    /// occurrence), in the order they end: each hit's row (an index into the table's
    /// ``KeywordIndex/names``) and where it ends.
    static func hitRows(in hay: UnsafeBufferPointer<UInt8>, compiled table: KeywordIndex) -> [(row: Int, end: Int)] {
        // The end of each row's last keyword occurrence: the largest end of any occurrence.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: table.rows.count) { best in
            best.initialize(repeating: -1)
            table.forEachOccurrence(in: hay) { row, end in if end > best[row] { best[row] = end } }
            var out: [(row: Int, end: Int)] = []
            for (row, end) in best.enumerated() where end >= 0 { insertByEnd((row, end), into: &out) }
            // `3.其他` at the very end of a label names the 2021 row 其他 even when written `其他`.
            if hay.count >= 6, hay.count >= qita.count, hay[(hay.count - qita.count)...].elementsEqual(qita),
               !out.contains(where: { $0.row == table.otherOther }) {
                let before = hay[..<(hay.count - qita.count)]
                if before.isEmpty || before.last == UInt8(ascii: ".") && before.dropLast().last == UInt8(ascii: "3") {
                    insertByEnd((table.otherOther, hay.count), into: &out)
                }
            }
            return out
        }
    }

    /// Inserts a hit after every hit ending at or before it: appending hits one by one this
    /// way gives the order a stable sort by end gives.
    @inline(__always)
    private static func insertByEnd(_ hit: (row: Int, end: Int), into out: inout [(row: Int, end: Int)]) {
        var k = out.count
        while k > 0 && out[k - 1].end > hit.end { k -= 1 }
        out.insert(hit, at: k)
    }

    /// The generation markers' UTF-8 bytes, 2019's first.
    static let markerBytes = (markers2019 + markers2021).map { Array($0.utf8) }

    /// The generation a text (its UTF-8 bytes) is of: 2021 when more of its marker labels
    /// occur than of 2019's.
    ///
    /// Each marker is looked for on its own (``ByteSearch`` skips with `memchr` to the few
    /// places its last byte occurs, and stops at the first occurrence): cheaper than testing
    /// every character of the text against all of them. 2021's are counted first; 2019's
    /// only until the count is decided (reached, or out of reach).
    static func generation(bytes hay: UnsafeBufferPointer<UInt8>) -> Generation {
        func occurs(_ m: Int) -> Bool { markerBytes[m].withUnsafeBufferPointer { ByteSearch.firstOffset(of: $0, in: hay) != nil } }
        let v2021 = (markers2019.count..<markerBytes.count).filter(occurs).count
        var v2019 = 0
        for m in 0..<markers2019.count where v2019 < v2021 && v2019 + markers2019.count - m >= v2021 {
            if occurs(m) { v2019 += 1 }
        }
        return v2021 > v2019 ? .v2021 : .v2019
    }

    /// Offset of the first occurrence of `needle` in `hay`.
    static func firstIndex<C: RandomAccessCollection>(of needle: [UInt8], in hay: C) -> Int? where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty, needle.count <= hay.count else { return nil }
        if let found = hay.withContiguousStorageIfAvailable({ h in
            needle.withUnsafeBufferPointer { ByteSearch.firstOffset(of: $0, in: h) }
        }) {
            return found.map { hay.startIndex + $0 }
        }
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
        if let found = utf8.withContiguousStorageIfAvailable({ hay in
            needle.utf8.withContiguousStorageIfAvailable { ByteSearch.firstOffset(of: $0, in: hay) != nil }
        }), let found { return found }
        return RowLabels.firstIndex(of: Array(needle.utf8), in: Array(utf8)) != nil
    }
}
