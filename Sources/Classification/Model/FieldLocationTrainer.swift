import Foundation

/// A caseworker's corrected field: the value that holds on a document of a class.
public struct FieldExample: Sendable, Equatable {
    public var classID: String
    public var key: String
    /// The corrected value, normalised as `set-field` takes it (`412.30`, `2025-03-01`).
    public var value: String
    /// The document's text (pages separated by `\f`).
    public var text: String
    /// Where the example came from, e.g. `document 3f2a…`.
    public var origin: String

    public init(classID: String, key: String, value: String, text: String, origin: String) {
        self.classID = classID
        self.key = key
        self.value = value
        self.text = text
        self.origin = origin
    }
}

/// Learns, from corrected fields, where each layout keeps a field.
///
/// Each example's value is looked up in its text (every place a value of the field's type
/// reads as the corrected value) and described by its label words, neighbours and place.
/// Examples of one class and field are grouped by layout (the words of their first lines);
/// within a layout, the description most examples share becomes the learned location when at
/// least two thirds of them agree. Otherwise the layout is stored as conflicting and the
/// finder abstains for it.
public struct FieldLocationTrainer: Sendable {
    public let configuration: PipelineConfiguration
    /// Share of the smaller word set two examples' first lines must share to count as one layout.
    public var layoutOverlap: Double = 0.5

    public init(configuration: PipelineConfiguration) {
        self.configuration = configuration
    }

    private struct Described {
        var example: FieldExample
        var type: FieldType
        var layout: Set<String>
        var locations: [ValueLocation]
    }

    public func train(_ examples: [FieldExample], trainedAt: String, sources: [String]) -> FieldLocationModel {
        var skipped: [String] = []
        var described: [Described] = []
        for example in examples {
            guard let documentClass = configuration.documentClass(example.classID) else {
                skipped.append("\(example.origin) \(example.key): class '\(example.classID)' is not in \(configuration.sourceName)")
                continue
            }
            guard let definition = documentClass.fields.first(where: { $0.key == example.key }) else {
                skipped.append("\(example.origin) \(example.key): class '\(example.classID)' has no such field")
                continue
            }
            guard definition.choices.isEmpty, definition.type != .text, definition.type != .name else {
                skipped.append("\(example.origin) \(example.key): \(definition.choices.isEmpty ? definition.type.rawValue : "choice") fields are not learned")
                continue
            }
            let document = DocumentText(example.text)
            let places = ValueLocator.locations(of: definition.type, in: document).filter {
                Self.same($0.value.normalized, example.value, type: definition.type)
            }
            guard !places.isEmpty else {
                skipped.append("\(example.origin) \(example.key): the value '\(example.value)' does not stand in the text")
                continue
            }
            described.append(
                Described(example: example, type: definition.type, layout: ValueLocator.layoutWords(document), locations: places))
        }
        var locations: [LearnedLocation] = []
        let groups = Dictionary(grouping: described) { "\($0.example.classID)\u{1F}\($0.example.key)" }
        for groupKey in groups.keys.sorted() {
            for cluster in clusters(groups[groupKey]!) {
                locations.append(learn(cluster.members, layout: cluster.words))
            }
        }
        let file = FieldLocationFile(
            trainedAt: trainedAt, sources: sources, exampleCount: examples.count, skipped: skipped, locations: locations)
        // The file is built here, so its shape is right by construction.
        return try! FieldLocationModel(file: file)
    }

    /// Values compare as the contract normalises them (`412.3` and `412.30` are one amount).
    static func same(_ found: String, _ wanted: String, type: FieldType) -> Bool {
        let wanted = wanted.trimmingCharacters(in: .whitespaces)
        switch type {
        case .amount:
            if let a = AmountParser.cents(found), let b = AmountParser.cents(wanted) { return a == b }
        case .iban:
            return found == wanted.replacingOccurrences(of: " ", with: "").uppercased()
        case .area, .integer:
            if let a = Double(found), let b = Double(wanted.replacingOccurrences(of: ",", with: ".")) { return a == b }
        default: break
        }
        return found == wanted
    }

    /// Examples grouped by layout, greedily in input order: an example joins the first group
    /// whose shared first-line words it mostly shares.
    private func clusters(_ members: [Described]) -> [(members: [Described], words: Set<String>)] {
        var clusters: [(members: [Described], words: Set<String>)] = []
        for member in members {
            if let index = clusters.firstIndex(where: { Self.overlap($0.words, member.layout) >= layoutOverlap }) {
                clusters[index].members.append(member)
                clusters[index].words.formIntersection(member.layout)
            } else {
                clusters.append(([member], member.layout))
            }
        }
        return clusters
    }

    /// Shared words over the smaller set (0 when fewer than two are shared).
    static func overlap(_ a: Set<String>, _ b: Set<String>) -> Double {
        let shared = a.intersection(b).count
        guard shared >= 2, !a.isEmpty, !b.isEmpty else { return 0 }
        return Double(shared) / Double(min(a.count, b.count))
    }

    private func learn(_ members: [Described], layout: Set<String>) -> LearnedLocation {
        let first = members[0]
        // How many examples have a value with each description (an example counts once per description).
        var support: [String: [Int]] = [:]
        for (index, member) in members.enumerated() {
            for signature in Set(member.locations.map(\.signature)) { support[signature, default: []].append(index) }
        }
        let ranked = support.keys.sorted { a, b in
            let (ca, cb) = (support[a]!.count, support[b]!.count)
            if ca != cb { return ca > cb }
            // A label beats a bare place; a longer label beats a shorter one.
            let (pa, pb) = (a == "position" ? 0 : a.count, b == "position" ? 0 : b.count)
            return pa != pb ? pa > pb : a < b
        }
        let best = ranked[0]
        let agreeing = support[best]!
        let chosen = agreeing.map { index in members[index].locations.first { $0.signature == best }! }
        let lineShares = chosen.map(\.lineShare), columnShares = chosen.map(\.columnShare)
        var neighbours = Set(chosen[0].neighbours)
        for location in chosen.dropFirst() { neighbours.formIntersection(location.neighbours) }
        let lineSpread = (lineShares.max() ?? 0) - (lineShares.min() ?? 0)
        let columnSpread = (columnShares.max() ?? 0) - (columnShares.min() ?? 0)
        // Two thirds must agree; a bare place must also be the same place.
        var conflicting = agreeing.count * 3 < members.count * 2
        if best == "position", lineSpread > 0.1 || columnSpread > 0.2 { conflicting = true }
        let alternatives = conflicting
            ? members.compactMap { member in member.locations.first.map { $0.label.isEmpty ? "(no label)" : $0.labelText } }
            : []
        return LearnedLocation(
            classID: first.example.classID, key: first.example.key, type: first.type, layoutWords: layout.sorted(),
            label: chosen[0].label, labelText: chosen[0].labelText, above: chosen[0].above,
            neighbours: chosen[0].neighbours.filter { neighbours.contains($0) },
            lineShare: Self.rounded(lineShares.reduce(0, +) / Double(lineShares.count)),
            columnShare: Self.rounded(columnShares.reduce(0, +) / Double(columnShares.count)),
            lineShareSpread: Self.rounded(lineSpread), columnShareSpread: Self.rounded(columnSpread),
            examples: conflicting ? 0 : agreeing.count, layoutExamples: members.count, conflicting: conflicting,
            alternatives: Array(Set(alternatives)).sorted(), origins: members.map(\.example.origin))
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
