import Classification
import Foundation
import Synchronization

/// The running configuration. A reload that fails keeps the old one: a broken `pipeline.yml`
/// never stops filing.
public final class ConfigurationHolder: Sendable {
    private struct State {
        var configuration: PipelineConfiguration
        var register: CaseRegister?
        var modified: Date?
        /// The learned second opinion next to the configuration (`pipeline.model.json`), if any.
        var model: TextClassifierModel?
        /// Field locations learned from corrections (`pipeline.fields.json`), if any.
        var fieldLocations: FieldLocationModel?
    }

    public let url: URL
    private let state: Mutex<State>

    public init(url: URL, register: CaseRegister?) throws {
        self.url = url
        let configuration = try PipelineConfiguration.load(from: url)
        let model = try TextClassifierModel.loadIfPresent(besideConfiguration: url)
        let fieldLocations = try FieldLocationModel.loadIfPresent(besideConfiguration: url)
        state = Mutex(
            State(
                configuration: configuration, register: register, modified: Self.modificationDate(url), model: model,
                fieldLocations: fieldLocations))
    }

    public var analyzer: DocumentAnalyzer {
        state.withLock {
            DocumentAnalyzer(configuration: $0.configuration, register: $0.register).with(model: $0.model)
                .with(fieldLocations: $0.fieldLocations)
        }
    }

    public var register: CaseRegister? { state.withLock { $0.register } }

    /// Loads the file again. Returns nil when nothing was done (unchanged and not forced), else
    /// the outcome; on failure the running configuration stays.
    public func reload(force: Bool) -> Result<Void, Error>? {
        let modified = Self.modificationDate(url)
        if !force, state.withLock({ $0.modified }) == modified { return nil }
        do {
            let configuration = try PipelineConfiguration.load(from: url)
            let model = try TextClassifierModel.loadIfPresent(besideConfiguration: url)
            let fieldLocations = try FieldLocationModel.loadIfPresent(besideConfiguration: url)
            state.withLock {
                $0.configuration = configuration
                $0.model = model
                $0.fieldLocations = fieldLocations
                $0.modified = modified
            }
            return .success(())
        } catch {
            // Remember the broken version too, so it is reported once rather than every poll.
            state.withLock { $0.modified = modified }
            return .failure(error)
        }
    }

    private static func modificationDate(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }
}
