import CLeptonica
import CZbar
import Foundation

/// Reads barcodes and QR codes (cover sheets, codes on forms) with zbar.
public struct BarcodeReader: Sendable {
    public init() {}

    /// The decoded payloads of all codes found on the page, in reading order of zbar.
    public func read(_ page: PageImage) throws -> [String] {
        // Codes on forms and cover sheets keep several pixels per module at half the size of
        // a 300 dpi page, and zbar is about four times faster there.
        var source = page
        if max(page.width, page.height) > 2600, let half = pixScaleAreaMap2(page.pix) {
            source = PageImage(owning: half)
        }
        var (bytes, width, height) = try source.grayBytes()
        guard let scanner = zbar_image_scanner_create() else { return [] }
        defer { zbar_image_scanner_destroy(scanner) }
        // Only the symbologies used on cover sheets and forms: fewer false finds, and zbar's
        // DataBar decoder prints assertion noise on text-heavy pages.
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        for symbology in [ZBAR_QRCODE, ZBAR_CODE128, ZBAR_CODE39, ZBAR_I25] {
            zbar_image_scanner_set_config(scanner, symbology, ZBAR_CFG_ENABLE, 1)
        }
        // Every second row and column: a code on a cover sheet or form is dozens of scan lines
        // high and wide even at half size. Measured on the photos, scans and batches of
        // fixtures/: the same codes found as with every line, at about half the time.
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_X_DENSITY, 2)
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, 2)
        guard let image = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(image) }
        let y800: UInt = 0x3030_3859  // fourcc('Y','8','0','0')
        zbar_image_set_format(image, y800)
        zbar_image_set_size(image, UInt32(width), UInt32(height))
        var payloads: [String] = []
        bytes.withUnsafeMutableBytes { raw in
            zbar_image_set_data(image, raw.baseAddress, UInt(raw.count), nil)
            guard zbar_scan_image(scanner, image) > 0 else { return }
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                if let data = zbar_symbol_get_data(current) {
                    payloads.append(String(cString: data))
                }
                symbol = zbar_symbol_next(current)
            }
            zbar_image_set_data(image, nil, 0, nil)
        }
        return payloads
    }
}
