#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding and reading report files with plain POSIX calls. An ingest of 100k files spent
/// about 75k instructions per file in Foundation's directory enumerator and path-string
/// bridging, and 32k more asking Foundation for each file's size before reading it: over a
/// national corpus that is seconds on the thread that feeds the parsers.
enum ReportFiles {
    /// The report files under directory `root` (recursively): regular files, or symbolic
    /// links to them, whose extension (case-insensitive) is in `extensions` and whose own name
    /// does not start with a dot. Paths are `root` joined with the path below it. Unordered.
    static func walk(_ root: String, extensions: Set<String>) -> [String] {
        var found: [String] = []
        var pending = [root]
        while let dir = pending.popLast() {
            guard let stream = opendir(dir) else { continue }
            defer { closedir(stream) }
            let prefix = dir.hasSuffix("/") ? dir : dir + "/"
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                if name == "." || name == ".." { continue }
                let path = prefix + name
                switch kind(of: entry.pointee.d_type, path: path) {
                case .directory:
                    pending.append(path)
                case .file:
                    if !name.hasPrefix("."), extensions.contains(pathExtension(name)) { found.append(path) }
                case .other:
                    continue
                }
            }
        }
        return found
    }

    /// What a directory entry is, for the walk. A symbolic link counts as the file it points
    /// to, but a link to a directory is not followed (no cycles).
    private enum Kind { case directory, file, other }

    private static func kind(of type: UInt8, path: String) -> Kind {
        switch Int32(type) {
        case Int32(DT_DIR): return .directory
        case Int32(DT_REG): return .file
        case Int32(DT_LNK), Int32(DT_UNKNOWN):
            var st = stat()
            guard stat(path, &st) == 0 else { return .other }
            if (st.st_mode & S_IFMT) == S_IFREG { return .file }
            if Int32(type) == Int32(DT_UNKNOWN), (st.st_mode & S_IFMT) == S_IFDIR { return .directory }
            return .other
        default: return .other
        }
    }

    /// The lower-cased extension of a path's last component: the text after its last dot,
    /// or "" when there is none or the dot starts the name (`.html` is a hidden file). Read
    /// from the bytes: Foundation's `pathExtension` bridges the path, which cost more than
    /// the rest of detecting a file's format.
    static func pathExtension(_ path: String) -> String {
        let utf8 = path.utf8
        let nameStart = utf8.lastIndex(of: UInt8(ascii: "/")).map(utf8.index(after:)) ?? utf8.startIndex
        guard let dot = utf8[nameStart...].lastIndex(of: UInt8(ascii: ".")), dot != nameStart else { return "" }
        return String(path[utf8.index(after: dot)...]).lowercased()
    }

    /// Why reading a file failed.
    enum ReadFailure: Error, Equatable {
        /// The file could not be opened or read.
        case unreadable
        /// The file holds more than the limit; its size in bytes.
        case tooLarge(Int)
    }

    /// The whole content of the file at `path`, refused unread when it holds more than
    /// `limit` bytes.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.unreadable) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.unreadable) }
        let size = Int(st.st_size)
        if size > limit { return .failure(.tooLarge(size)) }
        // One byte of room past the size, so the read that finds the end needs no growth.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while true {
            // A file can grow while it is read: keep reading until end of file.
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count / 2))) }
            let n = bytes.withUnsafeMutableBytes { buf in
                readBytes(fd, buf.baseAddress! + filled, buf.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable)
            }
            if n == 0 { break }
            filled += n
            if filled > limit { return .failure(.tooLarge(filled)) }
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }
}

/// `read(2)`, named apart from ``ReportFiles/read(_:limit:)``.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
