import Testing

extension AccessMatrixTests {
    /// The care routes: the register, surveys, pairing, plans and check-ins. Each part keeps its
    /// probes in its own file (AccessMatrixTests+Care<Part>.swift).
    static var careMatrix: [(route: String, probes: [Probe])] { careRegisterMatrix + careSurveyMatrix + carePairingMatrix }

    /// Pairing runs at a compound or above: a building inside is refused by field, which proves
    /// the call got past the access checks. Helpers, check-ins and plans are probed with ids that
    /// do not exist (the world has none of them); CarePairingHTTPTests and CareCheckInHTTPTests
    /// check inside, outside and without the capability for each.
    static let carePairingMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/care/pairing", [
            Probe(label: "pair at a building", uri: "/api/v1/care/pairing", target: .place, rule: .capability(.manageCare, wayDown: false), allowed: .badRequest,
                  body: #"{"place_id":{id}}"#, field: "place_id"),
        ]),
        ("POST /api/v1/care/helpers/{id}/availability", [
            Probe(label: "missing helper", uri: "/api/v1/care/helpers/\(missing)/availability", target: .none, rule: .capability(.manageCare, wayDown: false), allowed: .ok,
                  body: #"{"availability":"quarantined"}"#),
        ]),
        ("POST /api/v1/care/checkins/{id}/done", [
            Probe(label: "missing check-in", uri: "/api/v1/care/checkins/\(missing)/done", target: .none, rule: .capability(.manageCare, wayDown: false), allowed: .ok, body: "{}"),
        ]),
        ("POST /api/v1/care/plans", [
            Probe(label: "plan without a person", uri: "/api/v1/care/plans", target: .none, rule: .anyUser, allowed: .badRequest, body: #"{"kind":"call","due":"09:00"}"#, field: "entry_id"),
            Probe(label: "plan for a missing person", uri: "/api/v1/care/plans", target: .none, rule: .capability(.manageCare, wayDown: false), allowed: .created,
                  body: #"{"entry_id":\#(missing),"kind":"call","due":"09:00"}"#),
        ]),
    ]
}
