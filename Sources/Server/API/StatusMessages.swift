import Akte

/// What the status of an upload means, for the citizen who sent it, in German and English.
/// Never the review reasons or the document's content: those may name other people.
enum StatusMessages {
    static func message(for state: UploadState, code: String?) -> APIError.Message {
        switch state {
        case .received:
            return .init(
                de: "Ihre Sendung ist eingegangen und wartet auf die Verarbeitung.",
                en: "Your upload has arrived and is waiting to be processed.")
        case .processing:
            return .init(de: "Ihre Sendung wird gerade gelesen.", en: "Your upload is being read right now.")
        case .filed:
            return .init(
                de: "Ihr Dokument wurde gelesen und zu Ihrer Akte genommen. Sie müssen nichts weiter tun.",
                en: "Your document has been read and added to your case file. There is nothing more you need to do.")
        case .needsReview:
            return .init(
                de: "Ihr Dokument ist eingegangen. Eine Mitarbeiterin oder ein Mitarbeiter des Jobcenters ordnet es zu. Sie müssen nichts weiter tun.",
                en: "Your document has arrived. A member of the Jobcenter's staff will file it. There is nothing more you need to do.")
        case .refused:
            return refused(code ?? "refused")
        }
    }

    static func refused(_ code: String) -> APIError.Message {
        switch code {
        case "unsupported_format":
            return .init(
                de: "Die Datei konnte nicht angenommen werden: Dieses Dateiformat wird nicht unterstützt. Bitte senden Sie das Dokument als PDF, JPEG, PNG, TIFF, WebP oder HEIC.",
                en: "The file could not be accepted: this file format is not supported. Please send the document as PDF, JPEG, PNG, TIFF, WebP or HEIC.")
        case "empty_file":
            return .init(
                de: "Die Datei ist leer. Bitte senden Sie das Dokument erneut.",
                en: "The file is empty. Please send the document again.")
        case "too_large", "too_many_pixels", "decoded_memory":
            return .init(
                de: "Die Datei ist zu groß, um sie zu verarbeiten. Bitte senden Sie das Dokument mit geringerer Auflösung oder Seite für Seite.",
                en: "The file is too large to process. Please send the document at a lower resolution or page by page.")
        case "too_many_pages":
            return .init(
                de: "Das Dokument hat zu viele Seiten. Bitte teilen Sie es auf mehrere Sendungen auf.",
                en: "The document has too many pages. Please split it into several uploads.")
        case "corrupt", "pdf_unreadable", "decoder_crashed", "decode_timeout", "changed_while_read":
            return .init(
                de: "Die Datei ist beschädigt oder unvollständig und konnte nicht gelesen werden. Bitte senden Sie das Dokument erneut, z. B. neu fotografiert oder gescannt.",
                en: "The file is damaged or incomplete and could not be read. Please send the document again, e.g. photographed or scanned anew.")
        case "ocr_timeout":
            return .init(
                de: "Das Dokument konnte nicht in der vorgesehenen Zeit gelesen werden. Bitte senden Sie eine deutlichere Aufnahme.",
                en: "The document could not be read in the time allowed. Please send a clearer picture.")
        default:
            return .init(
                de: "Die Sendung konnte nicht verarbeitet werden. Bitte senden Sie das Dokument erneut oder wenden Sie sich an Ihr Jobcenter.",
                en: "The upload could not be processed. Please send the document again or contact your Jobcenter.")
        }
    }
}
