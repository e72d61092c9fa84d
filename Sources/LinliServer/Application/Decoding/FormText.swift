/// The bytes of a URL-encoded form as the decoder will see them.
public enum FormText {
    /// Whether the form, with `+` and `%XX` decoded, is valid UTF-8. The separators `&` and `=`
    /// are ASCII, so the whole form is valid exactly when every name and value is.
    public static func decodesToUTF8(_ encoded: some Collection<UInt8>) -> Bool {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            index = encoded.index(after: index)
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                continue
            }
            guard index != encoded.endIndex, let high = hexValue(encoded[index]) else { decoded.append(byte); continue }
            let next = encoded.index(after: index)
            guard next != encoded.endIndex, let low = hexValue(encoded[next]) else { decoded.append(byte); continue }
            decoded.append(high << 4 | low)
            index = encoded.index(after: next)
        }
        return String(validating: decoded, as: UTF8.self) != nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
