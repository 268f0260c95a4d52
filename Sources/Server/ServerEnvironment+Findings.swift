import Classification
import Findings

extension ServerEnvironment {
    /// The findings' engine of the running configuration (rent limits, class names, which fields
    /// give a class's period); without one, the findings without rent limits.
    var findingsEngine: FindingsEngine {
        configuration.map { FindingsEngine(configuration: $0()) }
            ?? FindingsEngine(settings: FindingSettings())
    }
}
