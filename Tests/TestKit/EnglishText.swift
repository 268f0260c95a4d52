import Foundation

/// Finds English where a German reader looks: on a page, in a review reason, in a doubt.
///
/// The word list was built from the English texts the code held when pages and reasons were
/// first checked (the review reasons, the MRZ, bank-register, name and label doubts, the
/// batch-split and cover-sheet reasons, the case evidence, the filing reasons) plus the
/// function words any English sentence needs. Only lower-case words count, and only words that
/// are not also German: German writes nouns with a capital ("Name", "Bank", "Code",
/// "Upload"), so `name` or `bank` in lower case is English, "Name" is not. A text counts as
/// English when it holds two such words, so that one stray word inside a document's own
/// figures (an employer's name, a reading of OCR) does not count.
public enum EnglishText {
    public static let words: Set<String> = [
        // function words
        "the", "is", "are", "was", "were", "be", "been", "not", "of", "and", "or", "with", "without", "from", "by", "on",
        "at", "to", "for", "into", "than", "that", "this", "these", "which", "who", "has", "have", "does", "did", "its",
        "it", "their", "there", "when", "where", "only", "other", "another", "same", "each", "every", "any", "none", "no",
        "must", "should", "may", "can", "cannot", "please", "but", "both", "between", "below", "above", "after", "before",
        // words of today's English reasons and doubts
        "page", "pages", "line", "lines", "document", "documents", "field", "fields", "value", "values", "label", "labels",
        "case", "cases", "number", "numbers", "name", "names", "named", "person", "persons", "household", "households",
        "address", "street", "postcode", "city", "bank", "code", "register", "registered", "zone", "check", "checks",
        "digit", "digits", "found", "matched", "reads", "doubtful", "unknown", "required", "sensitive", "restricted",
        "health", "data", "handling", "confidence", "margin", "rules", "model", "says", "disagree", "unsure", "sure",
        "sign", "counter", "cover", "sheet", "sidecar", "upload", "uploads", "channel", "trusted", "confirmed",
        "confirms", "fits", "equally", "choose", "decides", "compare", "spelling", "misread", "altered", "printed",
        "computed", "differs", "agrees", "fails", "failed", "stands", "learned", "location", "weakly", "pattern",
        "search", "stopped", "time", "limit", "run", "exist", "exists", "month", "date", "separator", "single",
        "first", "last", "goes", "starts", "carries", "probably", "small", "letter", "machine", "readable", "account",
        "points", "contains", "appears", "alone", "decide", "review", "needs", "filed", "received", "refused",
        "processing", "viewed", "unreadable", "invalid", "missing", "error", "file", "unusable", "link", "links",
        "followed", "regular", "bytes", "object", "optional", "string", "understood", "accepted", "reference", "empty",
        "longer", "characters", "nothing", "threshold", "reached", "class", "runner", "leads", "below", "taken",
        "expiry", "birth", "composite", "surname", "given", "edit", "corrected", "correction", "corrections", "note",
        "notes", "assigned", "state", "due", "open", "closed", "done", "new", "work", "follow", "up",
    ]

    /// Function words also counted at a sentence's start ("The name …", "No case …").
    static let capitalised: Set<String> = ["The", "No", "This", "It", "There", "Page", "Field", "Case", "Cover", "Sidecar"]

    /// The English words of `text`, in order. What stands in German quotes („…“), double quotes
    /// or backticks is quoted material (a name read from the document, a JSON key, a command) and
    /// does not count.
    public static func englishWords(in text: String) -> [String] {
        unquoted(text).split(whereSeparator: { !$0.isLetter && $0 != "-" && $0 != "'" }).map { word in
            String(word).trimmingCharacters(in: CharacterSet(charactersIn: "-'")).replacingOccurrences(of: "'s", with: "")
        }.filter { words.contains($0) || capitalised.contains($0) }
    }

    static func unquoted(_ text: String) -> String {
        var result = ""
        var closing: Character?
        for character in text {
            if let close = closing {
                if character == close { closing = nil }
                continue
            }
            switch character {
            case "„": closing = "“"
            case "\"": closing = "\""
            case "`": closing = "`"
            default: result.append(character)
            }
        }
        return result
    }

    /// True when `text` holds two or more English words.
    public static func isEnglish(_ text: String) -> Bool { englishWords(in: text).count >= 2 }

    /// The texts of a page a person reads, each on its own: the text between tags, and the
    /// attributes that are read out or shown (`title`, `alt`, `aria-label`, `placeholder`).
    /// Style and script are left out; entities are decoded.
    public static func readableTexts(ofHTML html: String) -> [String] {
        var page = html
        for element in ["style", "script"] {
            while let start = page.range(of: "<\(element)"), let end = page.range(of: "</\(element)>", range: start.upperBound..<page.endIndex) {
                page.removeSubrange(start.lowerBound..<end.upperBound)
            }
        }
        var texts: [String] = []
        var rest = Substring(page)
        while let open = rest.firstIndex(of: "<") {
            texts.append(String(rest[..<open]))
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let tag = rest[open...close]
            for attribute in ["title", "alt", "aria-label", "placeholder"] {
                if let start = tag.range(of: " \(attribute)=\"") {
                    texts.append(String(tag[start.upperBound...].prefix { $0 != "\"" }))
                }
            }
            rest = rest[rest.index(after: close)...]
        }
        texts.append(String(rest))
        return texts.map(decodeEntities).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The readable texts of `html` that are English.
    public static func englishTexts(inHTML html: String) -> [String] {
        readableTexts(ofHTML: html).filter(isEnglish)
    }

    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
    }
}
