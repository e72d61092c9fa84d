import Foundation

/// The photo of an empty medicine box, which tells the runner exactly which drug, maker and
/// strength to ask for. Only the image formats phones save are taken, recognised by their first
/// bytes, never by what the upload claims.
public enum BoxPhotoFormat: String, Sendable, Hashable, CaseIterable {
    case jpeg
    case png
    case webp

    /// A phone's photo is 2 to 5 MB; anything larger is not a photo of a box.
    public static let maximumBytes = 6 * 1024 * 1024

    public var mediaType: String { "image/\(rawValue)" }
    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    /// The format the bytes are in, or nil for anything else (HEIC included: iPhones send JPEG
    /// to web forms).
    public static func sniff(_ data: Data) -> BoxPhotoFormat? {
        let bytes = [UInt8](data.prefix(12))
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) { return .webp }
        return nil
    }

    /// The format a file name on disk names.
    public init?(fileName: String) {
        switch fileName.split(separator: ".").last?.lowercased() {
        case "jpg": self = .jpeg
        case "png": self = .png
        case "webp": self = .webp
        default: return nil
        }
    }
}
