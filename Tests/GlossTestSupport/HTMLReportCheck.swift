import Foundation

/// Checks an HTML report (`gloss export --format html`) independently of Gloss: Python's
/// `html5lib` parses it in strict mode (any HTML5 parse error fails), and the checks below
/// run on the tree it builds, against the documents' texts and annotations as given.
///
/// The page: `<!DOCTYPE html>`, `<html lang>`, `<meta charset="utf-8">` (html5lib must
/// find UTF-8 from the bytes alone), a `<title>`; self-contained (no script, link, image,
/// frame or `src`, no `url(` or `@import` in the style, every `href` a fragment of the
/// page); ids unique and every fragment link pointing at one.
///
/// Each document (`section.document`, in order): its `<article>`'s blocks (`p`, `h2`,
/// `h3`) hold the whole text as shown (labels, `<sup>`, left out); for each annotation the
/// text of its `<mark data-id>` elements, in order and without labels, is the text at its
/// offsets (code points) as shown, and that text is its quote; its row in the annotation
/// table holds its quote, and exactly one label in the text links to that row; each
/// orphan's quote is in the orphans' table and it has no mark; each note's number links
/// to its footnote and the footnote links back; the relations' table has as many rows as
/// relations were exported.
///
/// "As shown": a page cannot hold control characters, so the report shows each as the
/// reader draws it, drops the carriage return of a CRLF, shows bidi controls as `·` and
/// noncharacters as U+FFFD; `shown` in the script is that rule, written anew.
public enum HTMLReportCheck {
    /// One document of the report: its text and what its section must show.
    public struct Expected {
        public var text: String
        /// `(id, start, end, quote, note)`, offsets in code points.
        public var annotations: [(id: String, start: Int, end: Int, quote: String, note: String)]
        /// `(id, quote)`.
        public var orphans: [(id: String, quote: String)]
        /// How many relations the report lists.
        public var relations: Int

        public init(text: String, annotations: [(id: String, start: Int, end: Int, quote: String, note: String)],
                    orphans: [(id: String, quote: String)] = [], relations: Int = 0) {
            self.text = text
            self.annotations = annotations
            self.orphans = orphans
            self.relations = relations
        }
    }

    /// The checks' findings on the report at `path`: empty when it passes, else one line per
    /// problem; the second value counts what was checked (`documents`, `annotations`, `marks`).
    /// - Throws: when python3 cannot be started or the script fails (html5lib missing:
    ///   `.ci/run` installs it).
    public static func check(report path: String, documents: [Expected]) throws -> (problems: [String], checked: [String: Int]) {
        let spec: [String: Any] = ["documents": documents.map { document -> [String: Any] in
            ["text": document.text,
             "annotations": document.annotations.map { ["id": $0.id, "start": $0.start, "end": $0.end, "quote": $0.quote, "note": $0.note] },
             "orphans": document.orphans.map { ["id": $0.id, "quote": $0.quote] },
             "relations": document.relations]
        }]
        let specPath = path + ".expected.json"
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: specPath))
        defer { try? FileManager.default.removeItem(atPath: specPath) }
        let result = try run("/usr/bin/env", ["python3", "-c", script, path, specPath])
        guard result.status == 0 else {
            throw CheckError(message: "the HTML check did not run (is html5lib installed? .ci/run installs it): \(result.error)")
        }
        guard let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
              let problems = json["errors"] as? [String] else {
            throw CheckError(message: "the HTML check printed no result: \(result.output)")
        }
        return (problems, json["checked"] as? [String: Int] ?? [:])
    }

    /// Why the check did not run.
    public struct CheckError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The Python program: `python3 -c SCRIPT REPORT.html EXPECTED.json`; prints
    /// `{"errors": [...], "checked": {...}}`.
    public static let script = #"""
        import json, sys
        import html5lib

        report_path, spec_path = sys.argv[1], sys.argv[2]
        with open(spec_path, encoding='utf-8') as f:
            spec = json.load(f)
        with open(report_path, 'rb') as f:
            raw = f.read()
        errors = []
        checked = {'documents': 0, 'annotations': 0, 'marks': 0}

        def done():
            print(json.dumps({'errors': errors, 'checked': checked}))
            sys.exit(0)

        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            root = parser.parse(raw)
        except html5lib.html5parser.ParseError as error:
            errors.append('html5lib (strict) parse error: %s at %r' % (error, parser.errors[-1:]))
            done()
        if parser.errors:
            errors.append('html5lib parse errors: %r' % parser.errors[:5])
        if parser.documentEncoding != 'utf-8':
            errors.append('encoding found from the bytes: %r, not utf-8' % parser.documentEncoding)

        BIDI = {0x061C, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
        def shown_one(ch, nxt):
            o = ord(ch)
            if ch == '\r':
                return '' if nxt == '\n' else ' '
            if ch == '\n':
                return '\n'
            if o in BIDI:
                return '\u00b7'
            if 0x09 <= o <= 0x0D or o == 0x85:
                return ' '
            if o < 0x20:
                return chr(0x2400 + o)
            if o == 0x7F:
                return '\u2421'
            if 0x80 <= o <= 0x9F:
                return '\ufffd'
            if 0xFDD0 <= o <= 0xFDEF or (o & 0xFFFE) == 0xFFFE:
                return '\ufffd'
            return ch
        def shown_each(text):
            return [shown_one(c, text[i + 1] if i + 1 < len(text) else None) for i, c in enumerate(text)]
        def shown(text):
            return ''.join(shown_each(text))

        def text_of(element, skip_labels=True):
            parts = [element.text or '']
            for child in element:
                if not (skip_labels and child.tag == 'sup'):
                    parts.append(text_of(child, skip_labels))
                parts.append(child.tail or '')
            return ''.join(parts)
        def classes(element):
            return (element.get('class') or '').split()

        # the page
        if not raw.startswith(b'<!DOCTYPE html>'):
            errors.append('no <!DOCTYPE html> first')
        if not root.get('lang'):
            errors.append('<html> has no lang')
        head = root.find('head')
        if head is None or not any((m.get('charset') or '').lower() == 'utf-8' for m in head.iter('meta')):
            errors.append('no <meta charset="utf-8">')
        title = head.find('title') if head is not None else None
        if title is None or not text_of(title).strip():
            errors.append('no <title>')
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag in ('script', 'link', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source'):
                errors.append('not self-contained: <%s>' % element.tag)
            if element.get('src') is not None:
                errors.append('not self-contained: src on <%s>' % element.tag)
            if element.tag == 'style' and ('url(' in (element.text or '') or '@import' in (element.text or '')):
                errors.append('not self-contained: url( or @import in the style')
        ids = {}
        for element in root.iter():
            if isinstance(element.tag, str) and element.get('id') is not None:
                ids[element.get('id')] = ids.get(element.get('id'), 0) + 1
        for name, count in ids.items():
            if count > 1:
                errors.append('id %r used %d times' % (name, count))
            if not name or any(c.isspace() for c in name):
                errors.append('invalid id %r' % name)
        for element in root.iter('a'):
            href = element.get('href') or ''
            if not href.startswith('#'):
                errors.append('link out of the page: %r' % href)
            elif href[1:] not in ids:
                errors.append('link to a missing id: %r' % href)

        sections = [s for s in root.iter('section') if 'document' in classes(s)]
        if len(sections) != len(spec['documents']):
            errors.append('%d document sections, expected %d' % (len(sections), len(spec['documents'])))
        by_id = {element.get('id'): element for element in root.iter() if isinstance(element.tag, str) and element.get('id')}

        for number, (section, document) in enumerate(zip(sections, spec['documents']), 1):
            where = 'document %d' % number
            checked['documents'] += 1
            text = document['text']
            each = shown_each(text)
            articles = list(section.iter('article'))
            if len(articles) != 1:
                errors.append('%s: %d articles' % (where, len(articles)))
                continue
            article = articles[0]
            blocks = [child for child in article if isinstance(child.tag, str)]
            for block in blocks:
                if block.tag not in ('p', 'h2', 'h3'):
                    errors.append('%s: a <%s> block in the text' % (where, block.tag))
            whole = ''.join(text_of(block) for block in blocks)
            if text and whole != ''.join(each):
                errors.append('%s: the text shown differs from the document: %r' % (where, whole[:200]))

            marks = {}
            for mark in article.iter('mark'):
                checked['marks'] += 1
                marks.setdefault(mark.get('data-id'), []).append(text_of(mark))
                if not mark.get('title'):
                    errors.append('%s: a mark without a title' % where)
            tables = {name: next((t for t in section.iter('table') if name in classes(t)), None)
                      for name in ('annotations', 'orphans', 'relations')}
            rows = {}
            for name, table in tables.items():
                if table is not None:
                    for row in table.iter('tr'):
                        if row.get('data-id') is not None:
                            rows[(name, row.get('data-id'))] = row
            targets = {}
            for label in article.iter('sup'):
                if 'lbl' in classes(label):
                    link = label.find('a')
                    if link is None:
                        errors.append('%s: a label without a link' % where)
                    else:
                        targets[link.get('href')] = targets.get(link.get('href'), 0) + 1
            ids_of_annotations = set()
            for annotation in document['annotations']:
                checked['annotations'] += 1
                identity = annotation['id']
                ids_of_annotations.add(identity)
                start, end, quote = annotation['start'], annotation['end'], annotation['quote']
                if text[start:end] != quote:
                    errors.append('%s: %s: the text at %d..%d is not its quote' % (where, identity, start, end))
                expected = ''.join(each[start:end])
                got = marks.get(identity)
                if got is None:
                    errors.append('%s: %s has no mark' % (where, identity))
                elif ''.join(got) != expected:
                    errors.append('%s: %s: its marks hold %r, not %r' % (where, identity, ''.join(got), expected))
                row = rows.get(('annotations', identity))
                if row is None:
                    errors.append('%s: %s has no row in the annotation table' % (where, identity))
                    continue
                cell = next((c for c in row.iter('td') if 'quote' in classes(c)), None)
                if cell is None or text_of(cell) != shown(quote):
                    errors.append('%s: %s: its row does not hold its quote %r' % (where, identity, shown(quote)))
                offsets = next((c for c in row.iter('td') if 'offsets' in classes(c)), None)
                if offsets is None or text_of(offsets) != '%d\u2013%d' % (start, end):
                    errors.append('%s: %s: its row does not give its offsets %d\u2013%d' % (where, identity, start, end))
                if targets.get('#' + (row.get('id') or '')) != 1:
                    errors.append('%s: %s: %r labels link to its row' % (where, identity, targets.get('#' + (row.get('id') or ''), 0)))
            for identity in marks:
                if identity not in ids_of_annotations:
                    errors.append('%s: a mark of %r, which is no annotation' % (where, identity))
            for orphan in document['orphans']:
                row = rows.get(('orphans', orphan['id']))
                cell = None if row is None else next((c for c in row.iter('td') if 'quote' in classes(c)), None)
                if cell is None or text_of(cell) != shown(orphan['quote']):
                    errors.append('%s: orphan %s: no row holding its quote' % (where, orphan['id']))
                if orphan['id'] in marks and orphan['id'] not in ids_of_annotations:
                    errors.append('%s: orphan %s has a mark' % (where, orphan['id']))
            references = [a for a in article.iter('a') if 'fn' in classes(a)]
            notes = sum(1 for a in document['annotations'] if a['note'])
            if len(references) != notes:
                errors.append('%s: %d note references, %d notes' % (where, len(references), notes))
            for reference in references:
                note = by_id.get((reference.get('href') or '#')[1:])
                back = None if note is None else next((a for a in note.iter('a') if 'back' in classes(a)), None)
                if back is None or back.get('href') != '#' + (reference.get('id') or ''):
                    errors.append('%s: note %r does not link back' % (where, reference.get('href')))
            relations = tables['relations']
            count = 0 if relations is None else sum(1 for r in relations.iter('tr') if r.get('data-id') is not None)
            if count != document['relations']:
                errors.append('%s: %d relations listed, expected %d' % (where, count, document['relations']))
        done()
        """#
}
