import CYaml
import VCSConfig

/// Refuses YAML whose aliases would stand for more than `limit` nodes (a
/// "billion laughs" bomb) before anything walks or hashes the tree: nine
/// aliases of nine aliases, seven deep, are 4.8 million nodes.
enum AliasBudget {
    static let limit = 100_000

    /// Counts the nodes each alias stands for in libyaml's events. A syntax
    /// error ends the count: the YAML reader reports it with its place.
    static func check(_ text: String, file: String, limit: Int = limit) throws(ConfigError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        var failure: ConfigError?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var sizes: [String: Int] = [:]
            var open: [(anchor: String?, size: Int)] = []
            var aliased = 0
            func close(_ anchor: String?, _ size: Int) {
                if let anchor { sizes[anchor] = size }
                if !open.isEmpty { open[open.count - 1].size += size }
            }
            while failure == nil {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_SCALAR_EVENT:
                    close(name(event.data.scalar.anchor), 1)
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let done = open.popLast() { close(done.anchor, done.size) }
                case YAML_ALIAS_EVENT:
                    let size = name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                    aliased += size
                    if aliased > limit {
                        failure = ConfigError(
                            SourceLocation(file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1),
                            "YAML aliases here stand for more than \(limit) nodes (an alias bomb?)")
                    }
                    close(nil, size)
                default:
                    break
                }
            }
        }
        if let failure { throw failure }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}
