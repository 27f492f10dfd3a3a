import CZlib
import Foundation

/// gzip through zlib: a large run record is written compressed, one gzip
/// member per chunk (compressed in parallel), and every reader takes a
/// record either way. Concatenated members are one valid gzip file.
enum Gzip {
    static func isCompressed(_ data: Data) -> Bool { data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b }

    /// One gzip member; level 1 (the fastest) since records are mostly
    /// repeated words and compress tenfold at any level.
    static func compress(_ data: some ContiguousBytes & Collection, level: Int32 = 1) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw HarnessError("gzip: cannot start compressing")
        }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))))
        let status = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw HarnessError("gzip: compressing failed (zlib \(status))") }
        output.count = Int(stream.total_out)
        return output
    }

    /// The bytes of every member of a gzip file.
    static func decompress(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw HarnessError("gzip: cannot start decompressing")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        try data.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let status = buffer.withUnsafeMutableBytes { out -> Int32 in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                switch status {
                case Z_STREAM_END:
                    guard stream.avail_in > 0 else { return }
                    inflateReset(&stream)  // the next member
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw HarnessError("gzip: the file ends early (truncated?)")
                default:
                    throw HarnessError("gzip: corrupt data (zlib \(status))")
                }
            }
        }
        return output
    }
}
