import Foundation

/// Writes a store's JSON straight into a byte buffer, byte for byte what `JSONEncoder`
/// writes with `.prettyPrinted`, `.sortedKeys` and `.withoutEscapingSlashes` (plus the
/// final newline ``StoreCodec/encode(_:)`` adds): two-space indents, `"key" : value`,
/// members sorted by the UTF-8 bytes of their keys, an empty list or object as an opening
/// bracket, an empty line and the closing bracket, strings escaped as that encoder escapes
/// them (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00XX` for the other control
/// characters; `/`, DEL, U+2028 and all other text as UTF-8). Numbers that are not whole
/// (``JSONValue/number(_:)``) are written by `JSONEncoder` itself, so their digits are its
/// digits; a ``JSONValue/literal(_:)`` (only in unknown fields or quarantined records) is
/// written as the text it holds, which `JSONEncoder` cannot do.
enum StorePrinter {
    /// The store's bytes, as ``StoreCodec/encode(_:)`` documents them.
    /// - Throws: `EncodingError` for a number JSON cannot hold (NaN, an infinity) in an
    ///   unknown field or quarantined record, as `JSONEncoder` does.
    static func encode(_ contents: StoreContents) throws -> Data {
        var printer = Printer(capacity: estimatedSize(contents))
        do {
            try printer.store(contents)
        } catch {
            printer.release()
            throw error
        }
        printer.byte(0x0A)
        return printer.data()
    }

    /// A generous guess at the size, so the buffer grows at most once or twice.
    static func estimatedSize(_ contents: StoreContents) -> Int {
        var size = 4096 + contents.memo.utf8.count
        for annotation in contents.annotations {
            size += 420 + annotation.quote.utf8.count + annotation.prefix.utf8.count + annotation.suffix.utf8.count
                + annotation.note.utf8.count + annotation.tags.count * 80
        }
        size += contents.orphans.count * 600 + contents.relations.count * 300 + contents.quarantined.count * 600
        return size
    }

    /// The bytes written so far, in memory it owns until ``data()`` hands it to a `Data`
    /// (no copy), and the current depth.
    struct Printer {
        private var base: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        private(set) var count = 0
        var depth = 0

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            base = malloc(self.capacity)!.assumingMemoryBound(to: UInt8.self)
        }

        /// The bytes written, as a `Data` that frees them; the printer is done after this.
        mutating func data() -> Data {
            // give back what the estimate over-reserved
            if let smaller = realloc(base, max(count, 1)) { base = smaller.assumingMemoryBound(to: UInt8.self) }
            return Data(bytesNoCopy: base, count: count, deallocator: .free)
        }

        /// Frees the bytes without making a `Data` (after an error).
        func release() { free(base) }

        /// Room for `extra` more bytes.
        @inline(__always) mutating func reserve(_ extra: Int) {
            if count + extra > capacity { grow(to: count + extra) }
        }

        private mutating func grow(to needed: Int) {
            capacity = max(needed, capacity * 2)
            base = realloc(base, capacity)!.assumingMemoryBound(to: UInt8.self)
        }

        @inline(__always) mutating func byte(_ value: UInt8) {
            reserve(1)
            base[count] = value
            count += 1
        }

        /// Appends `length` bytes from `source`.
        @inline(__always) mutating func append(_ source: UnsafePointer<UInt8>, _ length: Int) {
            reserve(length)
            (base + count).update(from: source, count: length)
            count += length
        }

        // MARK: the store's records

        mutating func store(_ contents: StoreContents) throws {
            // the top level's members, sorted as the encoder sorts them
            enum Member { case other(JSONValue), memo, format, version, document(StoredDocument), annotations, orphans, relations }
            var members: [(String, Member)] = []
            var own: Set<String> = ["format", "version", "document", "annotations", "orphans", "relations"]
            // a memo that was not text is written back as read until the user writes one
            if !contents.memo.isEmpty || contents.otherFields["memo"] == nil { own.insert("memo") }
            for (key, value) in contents.otherFields where !own.contains(key) { members.append((key, .other(value))) }
            if own.contains("memo") { members.append(("memo", .memo)) }
            members.append(("format", .format))
            members.append(("version", .version))
            if let document = contents.document { members.append(("document", .document(document))) }
            members.append(("annotations", .annotations))
            members.append(("orphans", .orphans))
            members.append(("relations", .relations))
            members.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            try object(count: members.count) { printer, index in
                let (key, member) = members[index]
                printer.key(key)
                switch member {
                case .other(let value): try printer.value(value)
                case .memo: printer.string(contents.memo)
                case .format: printer.string(StoreCodec.formatName)
                case .version: printer.integer(contents.version)
                case .document(let document): try printer.document(document)
                case .annotations:
                    // a store's annotations are kept in document order: sorting (a copy of
                    // every record) only when they are not
                    let annotations = StorePrinter.isInDocumentOrder(contents.annotations) ? contents.annotations
                        : contents.annotations.sorted(by: Annotation.documentOrder)
                    let records = contents.quarantined.filter { $0.list == "annotations" }
                    try annotations.withUnsafeBufferPointer { annotations in
                        try printer.array(count: annotations.count + records.count) { printer, index in
                            if index < annotations.count { try printer.annotation(annotations[index]) } else { try printer.value(records[index - annotations.count].record) }
                        }
                    }
                case .orphans:
                    let records = contents.quarantined.filter { $0.list == "orphans" }
                    try contents.orphans.withUnsafeBufferPointer { orphans in
                        try printer.array(count: orphans.count + records.count) { printer, index in
                            if index < orphans.count { try printer.annotation(orphans[index]) } else { try printer.value(records[index - orphans.count].record) }
                        }
                    }
                case .relations:
                    let relations = contents.relations.sorted(by: Relation.storeOrder)
                    let records = contents.quarantined.filter { $0.list == "relations" }
                    try printer.array(count: relations.count + records.count) { printer, index in
                        if index < relations.count { try printer.relation(relations[index]) } else { try printer.value(records[index - relations.count].record) }
                    }
                }
            }
        }

        /// `{"length", "path", "sha256", "source"}` and the members Gloss does not know
        /// (``StoredDocument/otherFields``), all sorted by their keys' UTF-8 bytes.
        /// - Throws: `EncodingError` for a number JSON cannot hold in a member it does not know.
        mutating func document(_ document: StoredDocument) throws {
            enum Member { case length, path, sha256, source(StoredSource), other(JSONValue) }
            var members: [(String, Member)] = [("length", .length), ("path", .path), ("sha256", .sha256)]
            if let source = document.source { members.append(("source", .source(source))) }
            if !document.otherFields.isEmpty {
                for (key, value) in document.otherFields where !StoredDocument.knownFields.contains(key) { members.append((key, .other(value))) }
                members.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            }
            try object(count: members.count) { printer, index in
                let (key, member) = members[index]
                switch member {
                case .length: printer.name("length"); printer.integer(document.length)
                case .path: printer.name("path"); printer.string(document.path)
                case .sha256: printer.name("sha256"); printer.string(document.sha256)
                case .source(let source) where !source.otherFields.isEmpty:
                    printer.name("source")
                    try printer.value(source.jsonRecord)
                case .source(let source):
                    printer.name("source")
                    printer.object(count: source.sha256 == nil ? 2 : 3) { printer, index in
                        switch index {
                        case 0: printer.name("extractor"); printer.string(source.extractor)
                        case 1: printer.name("extractorVersion"); printer.string(source.extractorVersion)
                        default: printer.name("sha256"); printer.string(source.sha256!)
                        }
                    }
                case .other(let value):
                    printer.key(key)
                    try printer.value(value)
                }
            }
        }

        /// An annotation's members in sorted order; `conflict` only when set, as its
        /// `Encodable` leaves a nil optional out. Written member by member, as
        /// ``object(count:_:)`` lays them out, without a closure that would copy the
        /// annotation for each member; an annotation or tag with members Gloss does not
        /// know is written as its whole record (``Annotation/jsonRecord``), sorted alike.
        /// - Throws: `EncodingError` for a number JSON cannot hold in a member it does not know.
        mutating func annotation(_ annotation: Annotation) throws {
            if !annotation.otherFields.isEmpty || annotation.tags.contains(where: { !$0.otherFields.isEmpty }) {
                try value(annotation.jsonRecord)
                return
            }
            byte(UInt8(ascii: "{"))
            byte(0x0A)
            depth += 1
            indent(); name("author"); string(annotation.author)
            if let conflict = annotation.conflict { nextMember(); name("conflict"); string(conflict) }
            nextMember(); name("created"); string(annotation.created)
            nextMember(); name("end"); integer(annotation.end)
            nextMember(); name("id"); string(annotation.id)
            nextMember(); name("modified"); string(annotation.modified)
            nextMember(); name("note"); string(annotation.note)
            nextMember(); name("prefix"); string(annotation.prefix)
            nextMember(); name("quote"); string(annotation.quote)
            nextMember(); name("start"); integer(annotation.start)
            nextMember(); name("suffix"); string(annotation.suffix)
            nextMember(); name("tags")
            let tags = annotation.tags
            array(count: tags.count) { printer, index in
                printer.byte(UInt8(ascii: "{"))
                printer.byte(0x0A)
                printer.depth += 1
                printer.indent(); printer.name("category"); printer.string(tags[index].category)
                printer.nextMember(); printer.name("value"); printer.string(tags[index].value)
                printer.byte(0x0A)
                printer.depth -= 1
                printer.indent()
                printer.byte(UInt8(ascii: "}"))
            }
            byte(0x0A)
            depth -= 1
            indent()
            byte(UInt8(ascii: "}"))
        }

        /// The `,`, newline and indent between two members or elements.
        mutating func nextMember() {
            byte(UInt8(ascii: ","))
            byte(0x0A)
            indent()
        }

        /// A relation's eight members in sorted order, and those Gloss does not know.
        /// - Throws: `EncodingError` for a number JSON cannot hold in a member it does not know.
        mutating func relation(_ relation: Relation) throws {
            if !relation.otherFields.isEmpty {
                try value(relation.jsonRecord)
                return
            }
            object(count: 8) { printer, index in
                switch index {
                case 0: printer.name("author"); printer.string(relation.author)
                case 1: printer.name("created"); printer.string(relation.created)
                case 2: printer.name("from"); printer.string(relation.from)
                case 3: printer.name("id"); printer.string(relation.id)
                case 4: printer.name("modified"); printer.string(relation.modified)
                case 5: printer.name("note"); printer.string(relation.note)
                case 6: printer.name("to"); printer.string(relation.to)
                default: printer.name("type"); printer.string(relation.type)
                }
            }
        }

        /// Any JSON value, objects' members sorted by their keys' UTF-8 bytes.
        mutating func value(_ value: JSONValue) throws {
            switch value {
            case .null: ascii("null")
            case .bool(let flag): ascii(flag ? "true" : "false")
            case .integer(let number): integer(number)
            case .number(let number):
                // the encoder's own digits (and its error for NaN or an infinity)
                let digits = try JSONEncoder().encode(number)
                digits.withUnsafeBytes { append($0.bindMemory(to: UInt8.self).baseAddress!, $0.count) }
            case .string(let text): string(text)
            case .literal(let text):
                // kept as written: a number's own digits, a surrogate escape
                var text = text
                text.withUTF8 { if let start = $0.baseAddress { append(start, $0.count) } }
            case .array(let items):
                try array(count: items.count) { printer, index in try printer.value(items[index]) }
            case .object(let members):
                let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                try object(count: sorted.count) { printer, index in
                    printer.key(sorted[index].key)
                    try printer.value(sorted[index].value)
                }
            }
        }

        // MARK: JSON layout

        /// An object of `count` members, each written by `member` (its key and value) in turn.
        mutating func object(count: Int, _ member: (inout Printer, Int) throws -> Void) rethrows {
            byte(UInt8(ascii: "{"))
            try items(count: count, member)
            byte(UInt8(ascii: "}"))
        }

        /// A list of `count` elements, each written by `element`.
        mutating func array(count: Int, _ element: (inout Printer, Int) throws -> Void) rethrows {
            byte(UInt8(ascii: "["))
            try items(count: count, element)
            byte(UInt8(ascii: "]"))
        }

        /// The inside of a list or object: a newline, each item on its own indented line,
        /// a newline and the closing bracket's indent (an empty line when there are none).
        private mutating func items(count: Int, _ item: (inout Printer, Int) throws -> Void) rethrows {
            byte(0x0A)
            depth += 1
            for index in 0..<count {
                if index > 0 { byte(UInt8(ascii: ",")); byte(0x0A) }
                indent()
                try item(&self, index)
            }
            byte(0x0A)
            depth -= 1
            indent()
        }

        mutating func indent() {
            let width = 2 * depth
            reserve(width)
            (base + count).initialize(repeating: 0x20, count: width)
            count += width
        }

        /// `"key" : `.
        mutating func key(_ key: String) {
            string(key)
            ascii(" : ")
        }

        /// `"key" : ` for a key of Gloss's own records (ASCII, nothing to escape).
        mutating func name(_ key: StaticString) {
            reserve(key.utf8CodeUnitCount + 5)
            base[count] = UInt8(ascii: "\"")
            count += 1
            append(key.utf8Start, key.utf8CodeUnitCount)
            ascii("\" : ")
        }

        mutating func ascii(_ text: StaticString) {
            append(text.utf8Start, text.utf8CodeUnitCount)
        }

        mutating func integer(_ number: Int) {
            if number >= 0 && number < 10 {
                byte(UInt8(ascii: "0") + UInt8(number))
                return
            }
            // digits backwards into a small buffer; the magnitude as UInt so Int.min works
            var magnitude = number.magnitude
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits and a sign
            withUnsafeMutableBytes(of: &digits) { buffer in
                var position = buffer.count
                repeat {
                    position -= 1
                    buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                if number < 0 { position -= 1; buffer[position] = UInt8(ascii: "-") }
                append(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + position, buffer.count - position)
            }
        }

        /// A string, quoted and escaped as the encoder escapes it.
        mutating func string(_ text: String) {
            // native strings are read in place, without a copy of the string to mutate
            if text.utf8.withContiguousStorageIfAvailable({ utf8 in escaped(utf8) }) != nil { return }
            var copy = text
            copy.withUTF8 { escaped($0) }
        }

        /// `utf8` quoted and escaped as the encoder escapes a string.
        private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
            let source = utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!
            let length = utf8.count
            // room for the quotes and the text unescaped; an escape reserves its own
            reserve(length + 2)
            base[count] = UInt8(ascii: "\"")
            count += 1
            var mark = 0
            var index = JSONBytes.firstSpecial(source, from: 0, to: length)
            while index < length {
                let special = source[index]
                if index > mark { append(source + mark, index - mark) }
                mark = index + 1
                reserve(6)
                base[count] = UInt8(ascii: "\\")
                switch special {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): base[count + 1] = special; count += 2
                case 0x08: base[count + 1] = UInt8(ascii: "b"); count += 2
                case 0x0C: base[count + 1] = UInt8(ascii: "f"); count += 2
                case 0x0A: base[count + 1] = UInt8(ascii: "n"); count += 2
                case 0x0D: base[count + 1] = UInt8(ascii: "r"); count += 2
                case 0x09: base[count + 1] = UInt8(ascii: "t"); count += 2
                default:
                    let hex: StaticString = "0123456789abcdef"
                    base[count + 1] = UInt8(ascii: "u"); base[count + 2] = UInt8(ascii: "0"); base[count + 3] = UInt8(ascii: "0")
                    base[count + 4] = hex.utf8Start[Int(special >> 4)]
                    base[count + 5] = hex.utf8Start[Int(special & 0x0F)]
                    count += 6
                }
                index = JSONBytes.firstSpecial(source, from: mark, to: length)
            }
            if length > mark { append(source + mark, length - mark) }
            byte(UInt8(ascii: "\""))
        }
    }

    /// Whether `annotations` are in ``Annotation/documentOrder(_:_:)``, compared in place.
    static func isInDocumentOrder(_ annotations: [Annotation]) -> Bool {
        annotations.withUnsafeBufferPointer { list in
            guard list.count > 1 else { return true }
            for index in 1..<list.count {
                let (before, after) = (list[index - 1].start, list[index].start)
                if before != after { if before > after { return false } else { continue } }
                let (beforeEnd, afterEnd) = (list[index - 1].end, list[index].end)
                if beforeEnd != afterEnd { if beforeEnd > afterEnd { return false } else { continue } }
                if !(list[index - 1].id < list[index].id) { return false }
            }
            return true
        }
    }
}
