import Foundation

/// Finds the boilerplate at the ends of web-scraped text: menus and navigation links,
/// share and follow buttons, comment forms, cookie banners, newsletter forms, footers.
/// Boilerplate stays in the document and can be annotated; the reader dims it, marks it in
/// the margin, passes over it with `j` `k`, and hides it with `--hide-boilerplate`.
///
/// The rules, each explainable in one line, work on paragraph texts from each end of the
/// document inward:
/// 1. **Phrase**: a paragraph of at most ``phraseWordLimit`` words holding a phrase of the
///    vocabulary (``phrases``: comment forms, cookies, sharing and following, newsletters,
///    skip and log-in links, legal footers, read-more links, donation appeals) in English,
///    French, German or Spanish is boilerplate.
/// 2. **Link word**: a short line (rule 3) of at most ``linkWordLimit`` words with a link
///    word (``linkWords``: Share, Tweet, Contact, Search, Menu, Partager, Teilen,
///    Compartir…) is boilerplate.
/// 3. **Short lines**: a run of consecutive short lines (one line, at most
///    ``shortLineWordLimit`` words and ``shortLineLength`` code points, no final
///    punctuation) and boilerplate paragraphs is boilerplate when rule 1 or 2 holds for one
///    of them: a list of links.
/// 4. **Body**: the scan stops where the body starts, at the first two consecutive
///    paragraphs that are neither boilerplate nor short lines; only the first and last
///    ``window`` paragraphs are looked at.
/// 5. **Ends**: everything between the end of the document and the farthest boilerplate
///    the scan found is boilerplate too (a footer's blurb, a related article's teaser, a
///    donation appeal between its buttons).
///
/// Matching ignores case and accents. Offsets are paragraph indexes.
public enum Boilerplate {
    /// Paragraphs looked at from each end of a document.
    public static let window = 200
    /// Most words a paragraph may have for a phrase to make it boilerplate: longer
    /// paragraphs are body text that happens to say "cookies" or "newsletter".
    public static let phraseWordLimit = 30
    /// Most words of a short line (a link or menu item).
    public static let shortLineWordLimit = 8
    /// Most code points of a short line.
    public static let shortLineLength = 60
    /// Most words of a short line that a link word alone makes boilerplate, so that a
    /// headline such as "Search for survivors goes on" is not taken for a search box.
    public static let linkWordLimit = 3

    /// Phrases that mark boilerplate in a paragraph of at most ``phraseWordLimit`` words,
    /// lower case and without accents (matched on whole words).
    public static let phrases: [String] = [
        // comment forms
        "leave a reply", "leave a comment", "post a comment", "add a comment", "comments are closed",
        "your email address will not be published", "required fields are marked", "you must be logged in",
        "notify me of", "save my name",
        "laisser un commentaire", "laissez un commentaire", "ajouter un commentaire", "ne sera pas publiee",
        "champs obligatoires",
        "kommentar verfassen", "schreibe einen kommentar", "hinterlasse einen kommentar",
        "wird nicht veroffentlicht", "erforderliche felder", "pflichtfelder",
        "deja una respuesta", "deja un comentario", "dejar un comentario", "no sera publicada", "campos obligatorios",
        // cookie banners
        "we use cookies", "uses cookies", "accept cookies", "accept all cookies", "cookie policy", "cookie settings",
        "cookie statement", "cookie preferences",
        "utilise des cookies", "utilisons des cookies", "accepter les cookies", "politique de cookies",
        "gestion des cookies",
        "verwendet cookies", "verwenden cookies", "cookies akzeptieren", "cookie einstellungen", "cookie richtlinie",
        "datenschutzerklarung",
        "utiliza cookies", "utilizamos cookies", "usamos cookies", "aceptar cookies", "politica de cookies",
        // sharing and following
        "share this", "share on", "share via", "click to share", "follow us", "tweet this",
        "partager sur", "partager cet article", "suivez nous", "nous suivre",
        "teilen auf", "artikel teilen", "folgen sie uns", "folge uns",
        "compartir en", "comparte este", "siguenos",
        // newsletters
        "newsletter", "mailing list", "email updates", "subscribe to", "sign up for",
        "abonnez vous", "lettre d'information", "inscrivez vous",
        "newsletter abonnieren", "jetzt abonnieren",
        "suscribete", "suscribirse", "boletin",
        // navigation and accounts
        "skip to content", "skip to main content", "skip to navigation", "toggle menu", "toggle navigation",
        "toggle search", "main menu", "back to top", "log in", "sign in", "sign up",
        "aller au contenu", "passer au contenu", "menu principal", "se connecter", "retour en haut",
        "zum inhalt", "hauptmenu", "zuruck nach oben", "anmelden",
        "saltar al contenido", "ir al contenido", "iniciar sesion", "volver arriba",
        // legal footers
        "all rights reserved", "powered by", "privacy policy", "privacy notice", "terms of use", "terms of service",
        "terms and conditions", "creative commons", "cc by",
        "tous droits reserves", "mentions legales", "politique de confidentialite", "conditions d'utilisation",
        "propulse par",
        "alle rechte vorbehalten", "impressum", "datenschutz", "nutzungsbedingungen",
        "todos los derechos reservados", "aviso legal", "politica de privacidad", "terminos de uso",
        // more to read
        "read more", "related articles", "related posts", "you may also like", "more stories",
        "lire la suite", "lire aussi", "articles similaires", "voir aussi",
        "weiterlesen", "mehr lesen", "ahnliche artikel",
        "leer mas", "seguir leyendo", "articulos relacionados",
        // donation appeals
        "donate", "donation", "donations", "faire un don", "spenden", "donar", "donacion",
    ]

    /// Words that make a short line of at most ``linkWordLimit`` words a link or button,
    /// lower case and without accents.
    public static let linkWords: Set<String> = [
        "share", "tweet", "email", "print", "reply", "comments", "contact", "about", "home", "menu", "search",
        "subscribe", "follow", "donate", "login", "logout", "register", "facebook", "twitter", "linkedin",
        "instagram", "youtube", "whatsapp", "related", "next", "previous",
        "accueil", "rechercher", "partager", "imprimer", "repondre", "commentaires", "suivre",
        "startseite", "suche", "teilen", "drucken", "kontakt", "antworten", "kommentare", "folgen",
        "inicio", "buscar", "compartir", "imprimir", "contacto", "responder", "comentarios", "seguir",
    ]

    /// What one paragraph is to the rules.
    public enum Signal: Equatable, Sendable {
        /// Rule 1 or 2 holds: boilerplate on its own.
        case boilerplate
        /// A short line (rule 3): boilerplate in a run with boilerplate.
        case shortLine
        /// Anything else: body text, unless it lies between boilerplate and an end (rule 5).
        case body
    }

    /// The rule that `text` (one paragraph) meets on its own.
    public static func signal(of text: String) -> Signal {
        // a paragraph this long is body text whatever it says
        if text.utf8.count > 2_000 { return .body }
        let trimmed = trim(text)
        let wordCount = words(in: trimmed)
        let short = isShortLine(trimmed, wordCount: wordCount)
        if wordCount <= phraseWordLimit {
            let words = folded(trimmed)
            for (index, word) in words.enumerated() {
                for phrase in phraseIndex[word] ?? [] where index + phrase.count <= words.count
                    && words[index..<(index + phrase.count)].elementsEqual(phrase) {
                    return .boilerplate
                }
            }
            if short && wordCount <= linkWordLimit && words.contains(where: linkWords.contains) { return .boilerplate }
        }
        return short ? .shortLine : .body
    }

    /// True when `text` is a short line: one line of at most ``shortLineWordLimit`` words and
    /// ``shortLineLength`` code points that does not end in punctuation.
    public static func isShortLine(_ text: String) -> Bool {
        let trimmed = trim(text)
        return isShortLine(trimmed, wordCount: words(in: trimmed))
    }

    private static func isShortLine(_ trimmed: Substring, wordCount: Int) -> Bool {
        guard !trimmed.isEmpty, wordCount <= shortLineWordLimit, trimmed.unicodeScalars.count <= shortLineLength,
              !trimmed.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }), let last = trimmed.unicodeScalars.last else { return false }
        if SentenceSplitter.isTerminator(last) { return false }
        switch last {
        case ",", ";", ":", "\u{3001}", "\u{FF0C}", "\u{FF1B}", "\u{FF1A}": return false
        default: return true
        }
    }

    /// `text` without the white space around it.
    static func trim(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !SentenceSplitter.isSpace($0) }),
              let last = scalars.lastIndex(where: { !SentenceSplitter.isSpace($0) }) else { return "" }
        return Substring(scalars[first...last])
    }

    /// Words (runs of characters other than white space) in `text`, counted up to one past
    /// ``phraseWordLimit``.
    static func words(in text: Substring) -> Int {
        var count = 0, inWord = false
        for scalar in text.unicodeScalars {
            let space = SentenceSplitter.isSpace(scalar)
            if !space && !inWord {
                count += 1
                if count > phraseWordLimit { break }
            }
            inWord = !space
        }
        return count
    }

    /// The boilerplate among paragraphs read from one end of a document inward:
    /// `text(0)` is the paragraph at that end, `text(1)` the next one in, and so on, nil
    /// past the other end. Asks for each text only when the scan gets to it (usually a few),
    /// and for at most ``window`` of them, so a caller can read them from a document that
    /// is not indexed yet.
    /// - Returns: the positions (as passed to `text`) of the boilerplate paragraphs, in order.
    public static func scan(inward text: (Int) -> String?) -> [Int] {
        var signals: [Signal] = []
        var ended = false
        /// The signal of paragraph `index`, nil past the end or the window.
        func signal(_ index: Int) -> Signal? {
            while signals.count <= index && !ended {
                if signals.count < window, let paragraph = text(signals.count) {
                    signals.append(Boilerplate.signal(of: paragraph))
                } else {
                    ended = true
                }
            }
            return index >= 0 && index < signals.count ? signals[index] : nil
        }
        // rule 3: a run of short lines and boilerplate is marked whole when one is boilerplate
        var runs: [Int: Bool] = [:]
        func inMarkedRun(_ index: Int) -> Bool {
            if let known = runs[index] { return known }
            var first = index, last = index
            while let previous = signal(first - 1), previous != .body { first -= 1 }
            while let next = signal(last + 1), next != .body { last += 1 }
            let result = (first...last).contains { signal($0) == .boilerplate }
            for position in first...last { runs[position] = result }
            return result
        }
        var farthest: Int?
        var index = 0
        while let kind = signal(index) {
            if kind != .body {
                if inMarkedRun(index) { farthest = index }
            } else if signal(index + 1) == .body {
                // rule 4: two body paragraphs in a row are the body
                break
            }
            index += 1
        }
        // rule 5: all of it up to the farthest boilerplate
        return farthest.map { Array(0...$0) } ?? []
    }

    /// The boilerplate paragraphs of a whole document given as its paragraph texts, in
    /// document order: the scans from both ends.
    /// - Returns: paragraph indexes.
    public static func paragraphs(of texts: [String]) -> Set<Int> {
        let leading = scan { $0 < texts.count ? texts[$0] : nil }
        let trailing = scan { $0 < texts.count ? texts[texts.count - 1 - $0] : nil }.map { texts.count - 1 - $0 }
        return Set(leading).union(trailing)
    }

    /// `text` in lower case without accents, cut into words of letters, digits and
    /// apostrophes (`’` as `'`).
    static func folded(_ text: some StringProtocol) -> [String] {
        var words: [String] = []
        // ASCII, as most of it is, needs no decomposition
        let scalars = text.utf8.allSatisfy({ $0 < 0x80 }) ? text.lowercased().unicodeScalars
            : text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
        var word = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar.isASCII {
                let value = scalar.value
                if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                    word.append(scalar)
                    continue
                }
                if scalar == "'" {
                    word.append(scalar)
                    continue
                }
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if scalar == "\u{2019}" {
                word.append("'")
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.append(scalar)
                continue
            }
            if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words
    }

    /// Builds what ``signal(of:)`` looks phrases up in, ahead of its first use (on another
    /// thread at start-up: it takes a third of a millisecond).
    public static func prepare() {
        _ = phraseIndex
    }

    /// ``phrases`` folded as texts are, as word lists, under their first word. They are
    /// written folded already (lower-case ASCII words between single spaces, which a test
    /// checks), so cutting at the spaces is enough: cheaper at start-up than folding.
    static let phraseIndex: [String: [[String]]] = Dictionary(grouping: phrases.map(words(ofFolded:)).filter { !$0.isEmpty }, by: { $0[0] })

    /// The words of `phrase`, written folded already: its runs of bytes between spaces.
    static func words(ofFolded phrase: String) -> [String] {
        phrase.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }
}
