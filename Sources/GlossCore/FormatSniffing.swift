/// What the first bytes of a file without a telling extension say it is: a web page or a
/// PDF. Shared by the opener and the document list's titles, so both read a file alike.
public enum FormatSniffing {
    /// Bytes of a file's start read to tell a web page: leading comments and an XML
    /// declaration must end within them.
    public static let headByteCount = 4096

    /// The HTML Standard's tag names that make a file a web page when one starts it
    /// (WHATWG MIME Sniffing, "rules for identifying an unknown MIME type"), with `<!--`
    /// left out: comments are passed over instead.
    static let htmlOpenings = ["<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font", "<table",
                               "<a", "<style", "<title", "<b", "<body", "<br", "<p"].map { Array($0.utf8) }

    /// True when `bytes`, the start of a file (ASCII-compatible: UTF-8 or a legacy
    /// encoding), are a web page's: after white space and byte-order marks, any comments
    /// (`<!-- … -->`) and an XML declaration (`<?xml … ?>`), in any order, it goes on with
    /// one of the MIME Sniffing standard's HTML patterns (`<!DOCTYPE html`, `<html`,
    /// `<head`, `<body`, `<title`, `<script`, `<style`, `<div`, `<p`, `<table`, `<h1`, …, in
    /// any letter case) followed by white space or `>` (or the end of the bytes); or it is
    /// Internet Explorer's `<!-- saved from url=` mark, which only a saved page carries.
    public static func looksLikeHTML<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        Array(bytes.prefix(headByteCount)).withUnsafeBufferPointer { looksLikeHTML($0) }
    }

    /// ``looksLikeHTML(_:)`` for bytes in memory. Not generic: a generic form's first call
    /// at start-up looks up its collection's conformances, costing more than the sniffing.
    public static func looksLikeHTML(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let head = UnsafeBufferPointer(rebasing: bytes.prefix(headByteCount))
        var position = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        func matches(_ pattern: [UInt8], at start: Int) -> Bool {
            guard start + pattern.count <= head.count else { return false }
            for (offset, byte) in pattern.enumerated() {
                let found = head[start + offset]
                if (found >= 0x41 && found <= 0x5A ? found + 0x20 : found) != byte { return false }
            }
            return true
        }
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            var index = start
            while index + pattern.count <= head.count {
                if matches(pattern, at: index) { return index }
                index += 1
            }
            return nil
        }
        while true {
            while position < head.count && isSpace(head[position]) { position += 1 }
            if matches([0xEF, 0xBB, 0xBF], at: position) {
                position += 3
                continue
            }
            if matches(Array("<!--".utf8), at: position) {
                var after = position + 4
                while after < head.count && isSpace(head[after]) { after += 1 }
                if matches(Array("saved from url=".utf8), at: after) { return true }
                guard let close = find(Array("-->".utf8), from: position + 2) else { return false }
                position = close + 3
                continue
            }
            if matches(Array("<?xml".utf8), at: position) {
                guard let close = find(Array("?>".utf8), from: position + 5) else { return false }
                position = close + 2
                continue
            }
            break
        }
        for opening in htmlOpenings where matches(opening, at: position) {
            let next = position + opening.count
            if next == head.count || isSpace(head[next]) || head[next] == 0x3E { return true }
        }
        return false
    }

    /// True when `bytes` start with a PDF's header, `%PDF-`.
    public static func startsLikePDF<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        Array(bytes.prefix(5)).withUnsafeBufferPointer { startsLikePDF($0) }
    }

    /// True when `bytes` in memory start with `%PDF-`; not generic, as the bytes-in-memory
    /// form of `looksLikeHTML` is not.
    public static func startsLikePDF(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 5 && bytes[0] == 0x25 && bytes[1] == 0x50 && bytes[2] == 0x44 && bytes[3] == 0x46 && bytes[4] == 0x2D
    }

    /// True when `bytes`, a file's start, hold a PDF's header `%PDF-` in their first 1024
    /// bytes, as PDF readers accept it (PDF 1.7 Implementation Note 13).
    public static func hasPDFHeader<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let head = Array(bytes.prefix(1024))
        let marker = Array("%PDF-".utf8)
        guard head.count >= marker.count else { return false }
        return (0...(head.count - marker.count)).contains { head[$0..<($0 + marker.count)].elementsEqual(marker) }
    }
}
