public typealias UserID = ID<User>

/// A person who signs in with a phone number and a password: committee staff, building leaders,
/// volunteers, officers. What they may do comes from their roles (`Role`), not from here.
public struct User: Sendable, Hashable {
    public var id: UserID
    public var phone: String
    public var name: String
    public var passwordHash: String

    public init(id: UserID, phone: String, name: String, passwordHash: String) {
        self.id = id
        self.phone = phone
        self.name = name
        self.passwordHash = passwordHash
    }
}
