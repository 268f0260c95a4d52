import Foundation

/// One bank in the Bundesbank's bank-code register (Bankleitzahlendatei): the main entry
/// (Merkmal 1) of one bank code.
public struct BankEntry: Sendable, Hashable {
    /// The 8-digit German bank code (Bankleitzahl, BLZ), e.g. `37050198`.
    public let code: String
    /// The BIC exactly as the register gives it, always 11 characters (`COLSDE33XXX`); an
    /// 8-character BIC on a page means the same as the 11-character form ending in `XXX`
    /// (see ``BankCodeRegister/bicAgrees(_:with:)``).
    public let bic: String
    /// The register's name of the bank (Bezeichnung, up to 58 characters), e.g. `Sparkasse KölnBonn`.
    public let name: String
    /// The register's short name (Kurzbezeichnung, up to 27 characters, often abbreviated and
    /// with the place), e.g. `Spk Bielefeld` or `Volksbank Seesen`.
    public let shortName: String

    /// Creates an entry from its four register fields.
    public init(code: String, bic: String, name: String, shortName: String) {
        self.code = code
        self.bic = bic
        self.name = name
        self.shortName = shortName
    }
}

/// The Bundesbank's bank-code register as knowledge that checks values read from a page:
/// a German IBAN names its bank (through the BLZ inside it), so a bank name or BIC read
/// next to it can be checked against the register.
///
/// The data is the generated table in `BankCodeTable.swift` (see `tools/bankcodes/`).
/// Use ``shared``; it is parsed on first use.
public struct BankCodeRegister: Sendable {
    /// The register built from the checked-in table; parsed once, on first use (a few ms).
    public static let shared = BankCodeRegister(table: BankCodeRegister.table, isShared: true)

    /// Entries by bank code.
    private let entries: [String: BankEntry]
    /// The words of all names, for ``nameAgrees(_:with:)``: built on its first use, so that
    /// code look-ups do not pay for it. For ``shared`` it is built once for the process.
    private let names: @Sendable () -> NameIndex

    /// Parses a table in the generated format, one bank per line: `BLZ|BIC|name|short name`.
    /// Lines that do not have four fields and an 8-digit code are skipped; of two lines for one
    /// code the first wins. The name index for ``nameAgrees(_:with:)`` is built here too.
    public init(table: String) {
        self.init(table: table, isShared: false)
    }

    /// Parses `table`; the shared instance builds its name index lazily.
    private init(table: String, isShared: Bool) {
        var entries: [String: BankEntry] = [:]
        entries.reserveCapacity(4_000)
        // Split on bytes: '|' and '\n' are ASCII and never inside a UTF-8 sequence, and this is
        // many times faster than splitting Characters.
        var table = table
        table.withUTF8 { bytes in
            var fields: [Range<Int>] = []
            fields.reserveCapacity(4)
            var fieldStart = 0
            func field(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            for index in 0...bytes.count {
                let byte = index < bytes.count ? bytes[index] : UInt8(ascii: "\n")
                if byte == UInt8(ascii: "|") {
                    fields.append(fieldStart..<index)
                    fieldStart = index + 1
                } else if byte == UInt8(ascii: "\n") {
                    fields.append(fieldStart..<index)
                    fieldStart = index + 1
                    defer { fields.removeAll(keepingCapacity: true) }
                    guard fields.count == 4, fields[0].count == 8,
                        bytes[fields[0]].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                    else { continue }
                    let code = field(fields[0])
                    if entries[code] != nil { continue }
                    entries[code] = BankEntry(
                        code: code, bic: field(fields[1]), name: field(fields[2]), shortName: field(fields[3]))
                }
            }
        }
        self.entries = entries

        if isShared {
            names = { BankCodeRegister.sharedIndex }
        } else {
            let index = NameIndex(entries: entries.values)
            names = { index }
        }
    }

    /// The name index of ``shared``, built on first use (Swift initialises a static lazily, once).
    private static let sharedIndex = NameIndex(entries: shared.entries.values)

    /// The number of bank codes in the register.
    public var count: Int { entries.count }

    /// The bank with the 8-digit bank code `code` (surrounding spaces ignored), or nil when
    /// the code is malformed or not in the register.
    public func bank(forCode code: String) -> BankEntry? {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard code.utf8.count == 8 else { return nil }
        return entries[code]
    }

    /// The bank of a German IBAN, or nil when `iban` is not a well-formed German IBAN
    /// (`DE`, 2 check digits, 8-digit BLZ, 10-digit account number: 22 characters, normalised
    /// without spaces, upper case), fails the mod-97 check, or has a bank code the register
    /// does not know. A misread IBAN with a wrong checksum gives nil because its BLZ may be
    /// misread too; call ``bank(forCode:)`` with its characters 5–12 to look it up anyway.
    public func bank(forIBAN iban: String) -> BankEntry? {
        let utf8 = Array(iban.utf8)
        guard utf8.count == 22, utf8[0] == UInt8(ascii: "D"), utf8[1] == UInt8(ascii: "E"),
            utf8[2...].allSatisfy({ $0 >= 48 && $0 <= 57 }), IBAN.mod97(iban) == 1
        else { return nil }
        return entries[String(decoding: utf8[4..<12], as: UTF8.self)]
    }

    /// True when a BIC read from a page is the entry's BIC: case and spaces are ignored, and an
    /// 8-character BIC equals the 11-character one ending in `XXX` (the institution's main office).
    public func bicAgrees(_ readBIC: String, with entry: BankEntry) -> Bool {
        var read = readBIC.filter { !$0.isWhitespace }.uppercased()
        if read.count == 8 { read += "XXX" }
        var own = entry.bic.uppercased()
        if own.count == 8 { own += "XXX" }
        return read == own
    }

    /// Decides whether a bank name read from a page names the bank of `entry`.
    ///
    /// Tolerant of what OCR and letterheads do: case, umlauts spelled out or dropped
    /// ("Koeln", "Koln"), words run together or split ("Sparkasse Köln Bonn" for "Sparkasse
    /// KölnBonn"), hyphens, legal forms ("eG", "AG", "GmbH"), branch words ("Filiale",
    /// "Niederlassung"), the short or the long form of the name, words in another order
    /// ("Deutsche Postbank" for "Postbank Ndl der Deutsche Bank"), a shortened read
    /// ("Deutsche Bank" for a longer register name, "Sparkasse Paderborn" for "Sparkasse
    /// Paderborn-Detmold-Höxter"), single misread letters in longer words, and debris:
    /// words that are not a word of any bank name in the register ("Volksbank Seesen eG Bra").
    ///
    /// Strict where banks really differ: a read word that is a word of some register name but
    /// not of this entry's names (usually a place: "Sparkasse Bielefeld" against "Sparkasse
    /// Paderborn-Detmold-Höxter", "Berliner Volksbank" against "Volksbank Seesen") makes it
    /// disagree. Only after the whole name of a bank with many branches (Deutsche Bank,
    /// Commerzbank; not "Volksbank", a name many banks share) may such words follow
    /// ("Deutsche Bank Köln", "Commerzbank Frankfurt": a branch's place). A read that is exactly
    /// another bank's name disagrees even when its words are part of the entry's name
    /// ("Sparkasse Ulm" against "Sparkasse Neu-Ulm-Illertissen").
    ///
    /// A read name with no word of the entry's names ("Bra", "") never agrees. A generic read
    /// ("Sparkasse", "Volksbank") agrees with any entry it is part of: it does not contradict
    /// the IBAN. Abbreviations that are not in the register ("DKB") are not known.
    public func nameAgrees(_ readName: String, with entry: BankEntry) -> Bool {
        let read = NameWords.words(of: readName)
        guard !read.isEmpty else { return false }
        let nameWords = NameWords.words(of: entry.name)
        let phrases = Phrases(name: nameWords, shortName: NameWords.words(of: entry.shortName))
        let known = names()
        let nameKey = nameWords.joined(separator: " ")
        let placeMayFollow = known.branchNames.contains(nameKey)
        var kept: [String] = []  // the read words that are not debris

        var nameCovered = [Bool](repeating: false, count: nameWords.count)
        var coveredAny = false
        var index = 0
        while index < read.count {
            // The longest run of read words that, written together, is a run of the entry's words.
            var matchedEnd: Int?
            var joined = ""
            var runs: [String] = []
            for end in index..<read.count {
                joined += read[end]
                runs.append(joined)
            }
            for end in stride(from: read.count - 1, through: index, by: -1) {
                if let ranges = phrases.all[runs[end - index]] {
                    matchedEnd = end
                    for range in ranges.nameRanges { for i in range { nameCovered[i] = true } }
                    break
                }
            }
            if let end = matchedEnd {
                coveredAny = true
                kept.append(contentsOf: read[index...end])
                index = end + 1
                continue
            }
            let word = read[index]
            let isLast = index == read.count - 1
            let wholeNameRead = placeMayFollow && !nameCovered.isEmpty && nameCovered.allSatisfy { $0 }
            if known.vocabulary.contains(word) {
                kept.append(word)
                // A word of another bank's name: conflicting, unless it follows this bank's whole name.
                if !wholeNameRead { return false }
            } else if let (phrase, ranges) = phrases.closeMatch(to: word) {
                for range in ranges.nameRanges { for i in range { nameCovered[i] = true } }
                coveredAny = true
                kept.append(phrase)
            } else if isLast, word.count >= 3, phrases.all.keys.contains(where: { $0.hasPrefix(word) }) {
                coveredAny = true  // cut off at the end of the read
            } else if known.isCloseToVocabulary(word) {
                if !wholeNameRead { return false }  // a misread word of another bank's name
            }
            // Otherwise debris: not a word any bank name uses.
            index += 1
        }
        guard coveredAny else { return false }
        // "Sparkasse Ulm" is a bank of its own, not "Sparkasse Neu-Ulm-Illertissen" read short.
        let readKey = kept.joined()
        if !placeMayFollow, known.fullNames.contains(readKey), readKey != nameWords.joined(),
            readKey != phrases.shortNameKey
        {
            return false
        }
        return true
    }

    /// The register's name for a bank name read from a page (so OCR debris and spelling
    /// variants are dropped), or nil when the read name does not name the entry's bank
    /// (see ``nameAgrees(_:with:)``). The register's long name is returned, not the short name.
    public func cleanName(fromRead readName: String, entry: BankEntry) -> String? {
        nameAgrees(readName, with: entry) ? entry.name : nil
    }
}

/// What ``BankCodeRegister/nameAgrees(_:with:)`` needs to know about all names in the register.
private struct NameIndex: Sendable {
    /// Every word (folded, see ``NameWords``) of every name and short name in the register:
    /// a word of a read name that is in here but not in the entry's names is a conflicting
    /// name part (a place, a bank type), not OCR debris.
    let vocabulary: Set<String>
    /// The vocabulary as UTF-8 bytes grouped by byte count, for the OCR-tolerant look-up.
    let vocabularyByLength: [Int: [[UInt8]]]
    /// Folded names that different banks share and that only their short names tell apart
    /// ("Volksbank" for "Volksbank Seesen" and "Volksbank Worpswede"; not "Commerzbank", whose
    /// 181 codes are branches of one bank).
    let sharedNames: Set<String>
    /// Folded names (words joined by spaces) of banks with several codes that are all branches
    /// of one institution ("deutschebank", "commerzbank"): after such a name a place may follow.
    let branchNames: Set<String>
    /// Every name and short name, words written together, except ``sharedNames``: a read that
    /// is exactly one of these names that bank, not another whose name contains it.
    let fullNames: Set<String>

    init(entries: some Sequence<BankEntry>) {
        var vocabulary = Set<String>()
        var institutionsByName: [String: Set<String>] = [:]
        var shortNamesByName: [String: Set<String>] = [:]
        var codesByName: [String: Int] = [:]
        var fullNames = Set<String>()
        for entry in entries {
            let nameWords = NameWords.words(of: entry.name)
            let shortWords = NameWords.words(of: entry.shortName)
            vocabulary.formUnion(nameWords)
            vocabulary.formUnion(shortWords)
            let key = nameWords.joined(separator: " ")
            codesByName[key, default: 0] += 1
            fullNames.insert(nameWords.joined())
            fullNames.insert(shortWords.joined())
            // Each cooperative bank (BIC GENODE...) is an institution of its own, so for them the
            // whole BIC tells them apart; other banks' branches share the first four letters.
            institutionsByName[key, default: []].insert(
                entry.bic.hasPrefix("GENO") ? entry.bic : String(entry.bic.prefix(4)))
            shortNamesByName[key, default: []].insert(shortWords.joined(separator: " "))
        }
        self.vocabulary = vocabulary
        self.vocabularyByLength = Dictionary(grouping: vocabulary.map { Array($0.utf8) }, by: \.count)
        let sharedNames = Set(
            institutionsByName.compactMap { name, institutions in
                institutions.count > 1 && (shortNamesByName[name]?.count ?? 0) > 1 ? name : nil
            })
        self.sharedNames = sharedNames
        self.branchNames = Set(
            institutionsByName.compactMap { name, institutions in
                institutions.count == 1 && (codesByName[name] ?? 0) > 1 ? name : nil
            })
        self.fullNames = fullNames.subtracting(sharedNames.map { $0.replacingOccurrences(of: " ", with: "") })
    }

    /// True when `word` is one misread letter (two for words of 9 or more letters) away from
    /// a word of some register name. Words under 5 letters are never compared loosely.
    func isCloseToVocabulary(_ word: String) -> Bool {
        guard word.count >= 5 else { return false }
        let limit = NameWords.allowedEdits(for: word)
        let bytes = Array(word.utf8)
        for length in (bytes.count - limit)...(bytes.count + limit) {
            for candidate in vocabularyByLength[length] ?? []
            where NameWords.isClose(bytes, candidate, limit: limit) {
                return true
            }
        }
        return false
    }
}

/// Folding and splitting bank names into comparable words.
enum NameWords {
    /// Words that never tell two banks apart: legal forms, articles and prepositions, branch
    /// words, the register's "-alt-" marker, business-line words of a big bank's legal name,
    /// and words a letterhead or label puts next to the name ("Ihre", "IBAN", "BIC").
    static let ignored: Set<String> = [
        "ag", "eg", "se", "kg", "kgaa", "gmbh", "mbh", "ohg", "ev", "ek", "co", "aktiengesellschaft",
        "eingetragene", "genossenschaft", "der", "die", "das", "des", "dem", "den", "und", "fur", "von",
        "am", "im", "in", "an", "zu", "zur", "zum", "filiale", "ndl", "nl", "niederlassung",
        "zweigniederlassung", "zndl", "zweigstelle", "hauptstelle", "geschaftsstelle", "alt",
        "deutschland", "germany", "privat", "geschaftskunden", "privatkunden", "ihr", "ihre", "ein",
        "eine", "iban", "bic", "blz", "swift", "konto", "kontonummer", "bankverbindung",
    ]

    /// The folded words of a name: lower case, umlauts to their base letter whether written
    /// "ö", "oe" or "o" (so "Köln", "Koeln" and "Koln" compare equal), "ß" as "ss", other
    /// diacritics dropped, split at everything that is not a letter or digit, single letters
    /// and ``ignored`` words left out.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func finish() {
            defer { current.removeAll(keepingCapacity: true) }
            guard current.count > 1 else { return }
            let word = String(decoding: current, as: UTF8.self)
            if !ignored.contains(word) { words.append(word) }
        }
        func append(_ byte: UInt8) {
            // "ae", "oe", "ue" (umlauts spelled out) become "a", "o", "u".
            if byte == UInt8(ascii: "e"), let last = current.last,
                last == UInt8(ascii: "a") || last == UInt8(ascii: "o") || last == UInt8(ascii: "u")
            {
                return
            }
            current.append(byte)
        }
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39, 0x61...0x7A: append(UInt8(scalar.value))
            case 0x41...0x5A: append(UInt8(scalar.value + 32))
            case 0xE4, 0xC4: current.append(UInt8(ascii: "a"))
            case 0xF6, 0xD6: current.append(UInt8(ascii: "o"))
            case 0xFC, 0xDC: current.append(UInt8(ascii: "u"))
            case 0xDF, 0x1E9E: current += [UInt8(ascii: "s"), UInt8(ascii: "s")]
            case 0x0300...0x036F: continue  // a combining accent (decomposed "ö")
            case 0..<0x80: finish()
            default:
                guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else {
                    finish()
                    continue
                }
                // Other letters: drop the diacritic (é → e), keep letters without an ASCII form.
                let folded = String(Character(scalar)).folding(
                    options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                for byte in folded.utf8 {
                    if byte < 0x80 { append(byte) } else { current.append(byte) }
                }
            }
        }
        finish()
        return words
    }

    /// How many misread letters a word of this length may carry: 1 from 5 letters, 2 from 9.
    static func allowedEdits(for word: String) -> Int {
        word.count >= 9 ? 2 : 1
    }

    /// True when `a` and `b` are at most `limit` insertions, deletions or substitutions apart
    /// (Levenshtein on UTF-8 bytes, stopping as soon as the limit is out of reach).
    static func isClose(_ a: String, _ b: String, limit: Int) -> Bool {
        isClose(Array(a.utf8), Array(b.utf8), limit: limit)
    }

    /// ``isClose(_:_:limit:)`` on UTF-8 bytes.
    static func isClose(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Bool {
        if abs(a.count - b.count) > limit { return false }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return false }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit
    }
}

/// The runs of consecutive words of one entry's name and short name, written together, so that
/// "koln bonn" read can match "kolnbonn" in the register and the other way round.
private struct Phrases {
    /// Where a run occurs in the entry's (long) name; empty when only in the short name.
    struct Occurrence {
        var nameRanges: [ClosedRange<Int>] = []
    }

    /// Every run of the name and the short name.
    let all: [String: Occurrence]
    /// The short name's words written together.
    let shortNameKey: String

    init(name: [String], shortName: [String]) {
        var all: [String: Occurrence] = [:]
        for (words, isName) in [(name, true), (shortName, false)] {
            for start in words.indices {
                var joined = ""
                for end in start..<words.count {
                    joined += words[end]
                    var occurrence = all[joined] ?? Occurrence()
                    if isName { occurrence.nameRanges.append(start...end) }
                    all[joined] = occurrence
                }
            }
        }
        self.all = all
        self.shortNameKey = shortName.joined()
    }

    /// The run one or two misread letters away from `word` (words of 5 letters or more only).
    func closeMatch(to word: String) -> (String, Occurrence)? {
        guard word.count >= 5 else { return nil }
        let limit = NameWords.allowedEdits(for: word)
        for (phrase, occurrence) in all
        where abs(phrase.count - word.count) <= limit && NameWords.isClose(word, phrase, limit: limit) {
            return (phrase, occurrence)
        }
        return nil
    }
}
