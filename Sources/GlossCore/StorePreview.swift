import Foundation

/// The start of a store, read for a first frame: its top-level members and the leading
/// records of its `annotations` list that end within the part of the text shown first;
/// the rest of the file is only checked to be well-formed JSON, and read whole later
/// (``StoreRemainder``).
public struct StorePreview: Sendable {
    /// `document`, `version`, `memo` and unknown top-level members as ``StoreCodec`` reads
    /// them, and the leading annotation records read (valid, ids unique, within the
    /// document's length); no orphans, relations or quarantined records.
    public var contents: StoreContents
    /// Records of the `annotations` list not read.
    public var unreadAnnotations: Int
    /// Records of the `orphans` list, none of them read.
    public var unreadOrphans: Int

    /// The preview of the store `data`: the records of its `annotations` list are read
    /// from the first up to, not including, the first one that ends past `limit` (code
    /// points) or that the fast reader does not vouch for. Nil when the store must be read
    /// whole now: anything ``StoreScan`` gives up on at the top level, a store version
    /// older than ``StoreCodec/currentVersion`` (it is migrated at once), a `relations`
    /// list that is not empty (relations need every id), JSON past the records read that
    /// is not plainly well formed (so a damaged store is always found before the first
    /// frame), or nothing left to read later.
    public static func read(_ data: Data, through limit: Int) -> StorePreview? {
        data.withUnsafeBytes { raw -> StorePreview? in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            var scanner = StoreScan.Scanner(bytes: base.assumingMemoryBound(to: UInt8.self), count: raw.count, allFields: true)
            return scanner.preview(through: limit)
        }
    }
}

extension StoreScan.Scanner {
    /// See ``StorePreview/read(_:through:)``.
    mutating func preview(through limit: Int) -> StorePreview? {
        var annotations: [Annotation]?, unreadAnnotations = 0, unreadOrphans = 0
        let head = storeMembers { scanner, key in
            switch key {
            case "annotations":
                guard let (read, unread) = scanner.leadingAnnotations(through: limit) else { return false }
                annotations = read
                unreadAnnotations = unread
            case "orphans":
                guard let unread = scanner.checkedList() else { return false }
                unreadOrphans = unread
            default:
                guard let relations = scanner.relationList(), relations.isEmpty else { return false }
            }
            return true
        }
        skipSpace()
        guard let head, repeatedKey == nil, position == count, head.format == StoreCodec.formatName, head.version == StoreCodec.currentVersion,
              let version = head.version, let document = head.document, let annotations, unreadAnnotations + unreadOrphans > 0 else { return nil }
        // the checks the whole read makes of these records: all pass, or the store is read whole
        var ids = Set<String>()
        for annotation in annotations where annotation.end > document.length || !ids.insert(annotation.id).inserted { return nil }
        var contents = StoreContents(document: document, version: version, otherFields: head.otherFields)
        contents.annotations = annotations.sorted(by: Annotation.documentOrder)
        contents.memo = head.memo
        return StorePreview(contents: contents, unreadAnnotations: unreadAnnotations, unreadOrphans: unreadOrphans)
    }

    /// The records of a list read as annotations from its first up to the first that ends
    /// past `limit` or is not one the fast reader vouches for; the rest only checked
    /// (``checkedValue(depth:)``) and counted.
    mutating func leadingAnnotations(through limit: Int) -> (read: [Annotation], unread: Int)? {
        var read: [Annotation] = [], unread = 0
        var reading = true
        let fine = array { scanner in
            if reading {
                let start = scanner.position
                if let annotation = scanner.annotation(), annotation.end <= limit {
                    read.append(annotation)
                    return true
                }
                // read again later, whole, with everything after it
                reading = false
                scanner.position = start
            }
            unread += 1
            return scanner.checkedValue(depth: 0)
        }
        return fine ? (read, unread) : nil
    }

    /// A list whose elements are only checked (``checkedValue(depth:)``); their count.
    mutating func checkedList() -> Int? {
        var count = 0
        let fine = array { scanner in
            count += 1
            return scanner.checkedValue(depth: 0)
        }
        return fine ? count : nil
    }

    /// Skips any JSON value, `null` included, checking that it is well formed as this
    /// reader reads JSON: strings valid UTF-8 with valid escapes (surrogates in pairs),
    /// numbers in JSON's form, keys unrepeated only as far as `JSONDecoder` cares (not
    /// checked), nesting at most 64 deep. Makes no strings.
    mutating func checkedValue(depth: Int) -> Bool {
        skipSpace()
        guard depth < 64, let byte = peek() else { return false }
        switch byte {
        case UInt8(ascii: "\""): return checkedString()
        case UInt8(ascii: "{"):
            position += 1
            skipSpace()
            if peek() == UInt8(ascii: "}") { position += 1; return true }
            while true {
                skipSpace()
                guard checkedString(), consume(UInt8(ascii: ":")), checkedValue(depth: depth + 1) else { return false }
                skipSpace()
                guard let next = peek() else { return false }
                position += 1
                if next == UInt8(ascii: "}") { return true }
                guard next == UInt8(ascii: ",") else { return false }
            }
        case UInt8(ascii: "["): return array { scanner in scanner.checkedValue(depth: depth + 1) }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return skipNumber()
        default: return false
        }
    }

    /// Skips a string, checking it as ``string()`` reads it (valid UTF-8, no control
    /// characters, valid escapes, no lone surrogate) without making it.
    mutating func checkedString() -> Bool {
        skipSpace()
        guard position < count, bytes[position] == UInt8(ascii: "\"") else { return false }
        position += 1
        while true {
            let start = position
            let stop = JSONBytes.firstSpecial(bytes, from: start, to: count)
            guard stop < count, JSONBytes.isASCII(bytes, from: start, to: stop) || StoreScan.isValidUTF8(bytes + start, stop - start) else { return false }
            position = stop + 1
            switch bytes[stop] {
            case UInt8(ascii: "\""): return true
            case UInt8(ascii: "\\"):
                guard position < count else { return false }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): continue
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return false }
                    if (0xD800...0xDBFF).contains(unit) {
                        guard position + 1 < count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return false }
                        position += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return false }
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        return false
                    }
                default: return false
                }
            default: return false  // a control character
            }
        }
    }
}

extension StoreScan {
    /// Whether `count` bytes at `start` are well-formed UTF-8 (no overlong forms, no
    /// surrogates, nothing past U+10FFFF), as `String(validating:as:)` checks them.
    static func isValidUTF8(_ start: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index < count {
            let lead = start[index]
            if lead < 0x80 { index += 1; continue }
            func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                index + offset < count && range.contains(start[index + offset])
            }
            switch lead {
            case 0xC2...0xDF: guard continuation(1) else { return false }; index += 2
            case 0xE0: guard continuation(1, 0xA0...0xBF), continuation(2) else { return false }; index += 3
            case 0xE1...0xEC, 0xEE...0xEF: guard continuation(1), continuation(2) else { return false }; index += 3
            case 0xED: guard continuation(1, 0x80...0x9F), continuation(2) else { return false }; index += 3
            case 0xF0: guard continuation(1, 0x90...0xBF), continuation(2), continuation(3) else { return false }; index += 4
            case 0xF1...0xF3: guard continuation(1), continuation(2), continuation(3) else { return false }; index += 4
            case 0xF4: guard continuation(1, 0x80...0x8F), continuation(2), continuation(3) else { return false }; index += 4
            default: return false
            }
        }
        return true
    }
}

/// What a ``StorePreview`` left unread, read on first use (from any thread, once; later
/// callers wait for it): the whole store decoded by ``StoreCodec/decode(_:path:)`` and
/// what it holds besides the preview's annotations.
public final class StoreRemainder: @unchecked Sendable {
    /// Records of the `annotations` list the preview did not read.
    public let unreadAnnotations: Int
    /// Records of the `orphans` list, none read by the preview.
    public let unreadOrphans: Int
    private let data: Data
    private let path: String
    private let readIDs: Set<String>
    private let lock = NSLock()
    private var outcome: Result<(whole: StoreContents, rest: StoreContents), Error>?

    /// The rest of the store `data` (read from `path`) beside `preview`.
    public init(data: Data, path: String, preview: StorePreview) {
        self.data = data
        self.path = path
        unreadAnnotations = preview.unreadAnnotations
        unreadOrphans = preview.unreadOrphans
        readIDs = Set(preview.contents.annotations.map(\.id))
    }

    /// The store's annotations the preview did not read, its orphans and its quarantined
    /// records, with its `document` record.
    /// - Throws: what ``StoreCodec/decode(_:path:)`` throws; for a store the preview took,
    ///   which it checked to be well formed, only a ``StoreError`` for a member repeated
    ///   in a record it did not read (the preview does not compare keys).
    public func rest() throws -> StoreContents { try read().rest }

    /// The whole store, as ``StoreCodec/decode(_:path:)`` reads it.
    /// - Throws: as ``rest()``.
    public func whole() throws -> StoreContents { try read().whole }

    /// True once the store has been read, well or not.
    public var isRead: Bool {
        lock.lock()
        defer { lock.unlock() }
        return outcome != nil
    }

    private func read() throws -> (whole: StoreContents, rest: StoreContents) {
        lock.lock()
        defer { lock.unlock() }
        if outcome == nil {
            outcome = Result {
                let whole = try StoreCodec.decode(data, path: path)
                // the preview's records come first in the file, so the whole read keeps
                // them as they are and quarantines any later record repeating their ids
                var rest = StoreContents(document: whole.document)
                rest.annotations = whole.annotations.filter { !readIDs.contains($0.id) }
                rest.orphans = whole.orphans
                rest.quarantined = whole.quarantined
                return (whole, rest)
            }
        }
        return try outcome!.get()
    }
}
