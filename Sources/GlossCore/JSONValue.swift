import Foundation

/// Any JSON value (RFC 8259), kept so that parts of a store Gloss does not understand (a
/// damaged annotation record, a field added by another tool) are written back as read.
///
/// Through `Decodable`, numbers keep their integer form when they have one; other numbers
/// are `Double`s, so a fraction may come back with a different number of digits, never a
/// different value. ``StoreScan/exactValue(of:)`` (the store's reader) loses nothing: what
/// `String`, `Int` or `Double` cannot hold as written is a ``literal(_:)``.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// A value kept as its JSON text, exactly as written: a number that is not a whole
    /// `Int` (`1.50`, `-0`, `1e400`, `100000000000000000000`), a string holding a lone or
    /// reversed surrogate escape (`"\ud800"`), or an object with such a key. Written back
    /// as this text by the store's printer; never made by `Decodable`.
    case literal(String)

    /// Decodes any JSON value.
    /// - Throws: `DecodingError.dataCorrupted` only when the decoder holds something no
    ///   JSON value can be.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// Encodes the value as it was read.
    /// - Throws: `EncodingError.invalidValue` for a ``literal(_:)``, whose text no
    ///   `Encoder` can write as it is (the store's printer writes it).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .literal(let text):
            throw EncodingError.invalidValue(text, EncodingError.Context(codingPath: encoder.codingPath,
                debugDescription: "a JSON text kept as written, which only the store's printer writes"))
        }
    }

    /// The JSON `value` encodes to, as a tree.
    /// - Throws: `EncodingError` for values JSON cannot hold.
    public init<Value: Encodable>(encoding value: Value) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// The member `key` of an object; nil for other values or a missing member.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A short, one-line rendering for messages, such as `"abc"`, `-3` or `null`.
    public var brief: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return value.debugDescription
        case .array: return "a list"
        case .object: return "an object"
        case .literal(let text):
            if text.hasPrefix("{") { return "an object" }
            return text.count > 60 ? String(text.prefix(60)) + "…" : text
        }
    }
}

/// A coding key made from any string, for the members of a JSON object whose names are
/// only known when reading it.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension JSONValue {
    /// The members of `container` not named in `known`, as `JSONDecoder` reads them; one it
    /// cannot hold (a lone surrogate escape, a number beyond `Double`) is `null`, for the
    /// store's codec to replace from its exact reading of the file.
    static func otherMembers(of container: KeyedDecodingContainer<AnyCodingKey>, known: Set<String>) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for key in container.allKeys where !known.contains(key.stringValue) {
            members[key.stringValue] = (try? container.decode(JSONValue.self, forKey: key)) ?? .null
        }
        return members
    }

    /// Writes `members` into `container`, but those named in `known` (a record's own
    /// members, which its encoder writes).
    /// - Throws: `EncodingError` for a ``literal(_:)``, as ``encode(to:)`` does.
    static func encode(_ members: [String: JSONValue], except known: Set<String>,
                       into container: inout KeyedEncodingContainer<AnyCodingKey>) throws {
        for (key, value) in members where !known.contains(key) { try container.encode(value, forKey: AnyCodingKey(key)) }
    }
}
