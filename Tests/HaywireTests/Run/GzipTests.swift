import Foundation
import Testing
@testable import Haywire

@Suite struct GzipTests {
    @Test func membersCompressedApartReadBackAsOne() throws {
        let text = Data((0..<200_000).map { "line \($0) of a timeline\n" }.joined().utf8)
        let whole = try RunRecord.compressInParallel([Data(text.prefix(100_000)), Data(text.dropFirst(100_000))]).reduce(Data(), +)
        #expect(Gzip.isCompressed(whole))
        #expect(whole.count < text.count / 5)
        #expect(try Gzip.decompress(whole) == text)
        let twoMembers = try Gzip.compress(text.prefix(1000)) + Gzip.compress(text.dropFirst(1000))
        #expect(try Gzip.decompress(twoMembers) == text)
    }

    @Test func aTruncatedOrCorruptFileIsAnErrorNotAShortRecord() throws {
        let gz = try Gzip.compress(Data(String(repeating: "haywire ", count: 10_000).utf8))
        #expect(throws: HarnessError.self) { try Gzip.decompress(gz.prefix(gz.count / 2)) }
        var corrupt = gz
        corrupt[20] ^= 0xff
        corrupt[21] ^= 0xff
        #expect(throws: HarnessError.self) { try Gzip.decompress(corrupt) }
    }

    /// Past the threshold the record is `.run.json.gz`; every reader takes
    /// it, and writing the other kind removes the stale one.
    @Test func aLargeRecordIsWrittenCompressedAndReadLikeAnyOther() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let record = RunRecord(await Runner(factory: SimulatedBackendFactory(seed: 3)).run(suite))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-gzip-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let compressed = try RunRecord.write(record, to: folder, compressAbove: 1_000)
        #expect(compressed.hasSuffix(".run.json.gz"))
        #expect(try RunRecord.read(compressed) == record)
        #expect(try RunRecord.read(paths: [folder]) == [record])
        let plain = try RunRecord.write(record, to: folder)
        #expect(plain == String(compressed.dropLast(3)))
        #expect(!FileManager.default.fileExists(atPath: compressed))
        #expect(try RunRecord.read(paths: [folder]) == [record])
        // Compare, trend and coverage read records without their timelines.
        let light = try #require(try RunRecord.read(paths: [folder], timelines: false).first)
        #expect(light.scenarios.allSatisfy { $0.timeline.isEmpty })
        #expect(light.scenarios.map(\.name) == record.scenarios.map(\.name))
        #expect(light.scenarios.map(\.faultSpans) == record.scenarios.map(\.faultSpans))
        #expect(record.scenarios.contains { !$0.timeline.isEmpty })
    }
}
