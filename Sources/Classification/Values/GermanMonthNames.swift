/// German month names and their common abbreviations and OCR/keyboard spellings.
enum GermanMonthNames {
    /// Alternation for regexes, longest spellings first so "Juni" wins over "Jun".
    static let alternation =
        "januar|jaenner|jänner|jan|februar|feb|maerz|märz|marz|mrz|april|apr|mai|juni|jun|juli|jul"
        + "|august|aug|september|sept|sep|oktober|okt|november|nov|dezember|dez"

    /// Month number (1...12) for a spelling matched by `alternation`.
    static func number(for name: String) -> Int? {
        let folded = TextFolding.fold(name)
        let table: [(String, Int)] = [
            ("jan", 1), ("jaen", 1), ("feb", 2), ("mae", 3), ("mar", 3), ("mrz", 3), ("apr", 4), ("mai", 5),
            ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("okt", 10), ("nov", 11), ("dez", 12),
        ]
        return table.first { folded.hasPrefix($0.0) }?.1
    }
}
