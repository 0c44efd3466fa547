#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GB18030 (and so GBK and GB2312) to UTF-8 through the C library's iconv, which every Linux
/// system has; Foundation on Linux does not decode GB18030.
enum GB18030 {
    /// Decodes the bytes, or nil when they are not valid GB18030 or iconv is unavailable.
    static func decode(_ bytes: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let outCount = output.count
        let used: Int? = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                guard let inBase = inBuf.baseAddress, let outBase = outBuf.baseAddress else { return 0 }
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                var outLeft = outCount
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 { return nil }
                return outCount - outLeft
            }
        }
        guard let n = used else { return nil }
        return String(validating: output[..<n], as: UTF8.self)
    }
}
