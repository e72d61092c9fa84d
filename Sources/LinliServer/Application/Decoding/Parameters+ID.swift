import Hummingbird
import LinliCore

extension Parameters {
    /// A path id; anything but a positive integer is a 404 (there is no such record).
    func id<Entity>(_ name: String = "id") throws -> ID<Entity> {
        guard let text = self.get(name), let value = Int64(text), value > 0 else { throw AppError.notFound }
        return ID(rawValue: value)
    }
}
