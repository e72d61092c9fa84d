import LinliCore
import NIOCore
import PostgresNIO

/// An `ID` is its integer in PostgreSQL too: bound and read as `bigint`, with no JSON detour.
/// (SQLite's driver does the same in `SQLiteValue(bind:)` and `SQLiteValueDecodable`.)
extension ID: PostgresEncodable, PostgresNonThrowingEncodable, PostgresDecodable {
    public static var psqlType: PostgresDataType { Int64.psqlType }
    public static var psqlFormat: PostgresFormat { Int64.psqlFormat }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>) throws {
        self.init(rawValue: try Int64(from: &buffer, type: type, format: format, context: context))
    }
}
