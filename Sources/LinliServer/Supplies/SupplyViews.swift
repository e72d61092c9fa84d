import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// What a batch holds, as every view shows it: no person is named.
struct BatchContentsView: Codable, Sendable {
    struct Line: Codable, Sendable {
        var item: String
        var quantity: Int
        var unit: String
    }
    var id: SupplyBatchID
    var kind: String
    var source: String
    var supplier: String?
    var lot: String?
    var contents: [Line]
    var licences: String?
    var expiry: String?
    var unit: String
    var placeID: PlaceID
    var allocation: String
    var receivedAt: Date
    enum CodingKeys: String, CodingKey {
        case id, kind, source, supplier, lot, contents, licences, expiry, unit, placeID = "place_id", allocation, receivedAt = "received_at"
    }

    init(_ batch: SupplyBatch) {
        id = batch.id
        kind = batch.kind.rawValue
        source = batch.source
        supplier = batch.supplier
        lot = batch.lot
        contents = batch.contents.map { Line(item: $0.item, quantity: $0.quantity, unit: $0.unit) }
        licences = batch.licences
        expiry = batch.expiry
        unit = batch.unit.rawValue
        placeID = batch.placeID
        allocation = batch.allocation.ledgerText
        receivedAt = batch.receivedAt
    }
}

/// The ledger's sums for a batch.
struct FiguresView: Codable, Sendable {
    var received: Int
    var allocated: Int
    var handedOut: Int
    var writtenOff: Int
    var left: Int
    /// Hand-outs under the place asked about.
    var householdsReceived: Int
    var handedOutHere: Int
    enum CodingKeys: String, CodingKey {
        case received, allocated, handedOut = "handed_out", writtenOff = "written_off", left, householdsReceived = "households_received", handedOutHere = "handed_out_here"
    }

    init(_ figures: LedgerFigures) {
        received = figures.received
        allocated = figures.allocated
        handedOut = figures.handedOut
        writtenOff = figures.writtenOff
        left = figures.left
        householdsReceived = figures.householdsReceived
        handedOutHere = figures.handedOutHere
    }
}

struct BatchView: ResponseCodable {
    var batch: BatchContentsView
    var figures: FiguresView

    init(_ figured: SupplyService.Figured) {
        batch = BatchContentsView(figured.batch)
        figures = FiguresView(figured.figures)
    }
}

struct HandOutView: ResponseCodable {
    var batchID: SupplyBatchID
    var householdID: PlaceID
    var quantity: Int
    var confirmedBy: String
    var at: Date
    var note: String?
    enum CodingKeys: String, CodingKey { case batchID = "batch_id", householdID = "household_id", quantity, confirmedBy = "confirmed_by", at, note }

    init(_ handout: SupplyHandout) {
        batchID = handout.batchID
        householdID = handout.householdID
        quantity = handout.quantity
        confirmedBy = handout.confirmedBy
        at = handout.at
        note = handout.note
    }
}

/// The public figures of a place: what arrived, how many households received it, what is left.
struct TransparencyView: ResponseCodable {
    var placeID: PlaceID
    var placeName: String
    var batches: [BatchView]
    enum CodingKeys: String, CodingKey { case placeID = "place_id", placeName = "place_name", batches }

    init(place: Place, batches: [SupplyService.Figured]) {
        placeID = place.id
        placeName = place.name
        self.batches = batches.map(BatchView.init)
    }
}

struct RecallView: ResponseCodable {
    struct Line: Codable, Sendable {
        var batchID: SupplyBatchID
        var householdID: PlaceID
        var building: String
        var room: String
        var quantity: Int
        var at: Date
        var maskedPhones: [String]
        enum CodingKeys: String, CodingKey { case batchID = "batch_id", householdID = "household_id", building, room, quantity, at, maskedPhones = "masked_phones" }

        init(_ line: RecallLine) {
            batchID = line.batchID
            householdID = line.householdID
            building = line.building
            room = line.room
            quantity = line.quantity
            at = line.at
            maskedPhones = line.maskedPhones
        }
    }
    var placeID: PlaceID
    var lot: String
    var households: [Line]
    enum CodingKeys: String, CodingKey { case placeID = "place_id", lot, households }
}

struct ShelfItemView: ResponseCodable {
    var id: ShelfItemID
    var placeID: PlaceID
    var item: String
    var quantity: Int
    var note: String?
    var offeredAt: Date
    var takenAt: Date?
    enum CodingKeys: String, CodingKey { case id, placeID = "place_id", item, quantity, note, offeredAt = "offered_at", takenAt = "taken_at" }

    init(_ item: ShelfItem) {
        id = item.id
        placeID = item.placeID
        self.item = item.item
        quantity = item.quantity
        note = item.note
        offeredAt = item.offeredAt
        takenAt = item.takenAt
    }
}

struct PoolView: ResponseCodable {
    struct Donation: Codable, Sendable {
        var batch: BatchContentsView
        var received: Int
        var left: Int

        init(_ batch: SupplyBatch) {
            self.batch = BatchContentsView(batch)
            received = batch.received
            left = batch.stock
        }
    }
    var placeID: PlaceID
    var donations: [Donation]
    var shelf: [ShelfItemView]
    enum CodingKeys: String, CodingKey { case placeID = "place_id", donations, shelf }
}

struct HouseholdSuppliesView: ResponseCodable {
    struct Receipt: Codable, Sendable {
        var batch: BatchContentsView
        var quantity: Int
        var confirmedBy: String
        var at: Date
        enum CodingKeys: String, CodingKey { case batch, quantity, confirmedBy = "confirmed_by", at }

        init(_ receipt: HouseholdReceipt) {
            batch = BatchContentsView(receipt.batch)
            quantity = receipt.handout.quantity
            confirmedBy = receipt.handout.confirmedBy
            at = receipt.handout.at
        }
    }
    var householdID: PlaceID
    var receipts: [Receipt]
    enum CodingKeys: String, CodingKey { case householdID = "household_id", receipts }
}

struct BulkHandOutView: ResponseCodable {
    var handedOut: Int
    var quantity: Int
    /// Households passed over, by reason: `already_handed_out`, `not_entitled`, `out_of_stock`.
    var skipped: [String: Int]
    enum CodingKeys: String, CodingKey { case handedOut = "handed_out", quantity, skipped }
}
