/// What a role may do. A role grants its capabilities only on records at or under its place:
/// nobody sees more than their job needs (a building leader their building, a committee its
/// compounds).
public enum Capability: String, Sendable, CaseIterable, Codable {
    /// Browse places, households, volunteers and teams (phones masked in lists).
    case viewDirectory = "view_directory"
    /// See full phone numbers on a household's page, to call the residents.
    case viewFullPhone = "view_full_phone"
    /// See health and disability notes; every such read is audited.
    case viewSensitive = "view_sensitive"
    /// Import and export the household register, rotate household codes.
    case manageRegister = "manage_register"
    /// Export the register with phone numbers unmasked (audited).
    case exportUnmasked = "export_unmasked"
    /// Create users and grant roles.
    case manageUsers = "manage_users"
    /// Set a district's request deadlines and routing rules.
    case configureRequests = "configure_requests"
    /// Keep the care register, pair helpers, set care plans and helpers' availability.
    case manageCare = "manage_care"
    /// Record door-to-door survey visits; a finding adds to the care register without reading it.
    case surveyHouseholds = "survey_households"
    /// Run a team's medicine batches: cut-offs, runners, closing a batch.
    case manageMedicine = "manage_medicine"
    /// Carry a batch to the hospital: take cards, record outcomes and money.
    case runMedicine = "run_medicine"
    /// Approve suppliers and group buys; receive relief batches and donations, set how they are
    /// allocated, write stock off.
    case manageSupplies = "manage_supplies"
    /// Open group buys as their leader, take and import orders, record what arrived.
    case leadGroupBuys = "lead_group_buys"
    /// Hand goods to households (a group buy's delivery, a relief package), each confirmed by the
    /// household's code or signed off; keep the mutual-aid shelf.
    case handOutSupplies = "hand_out_supplies"
    /// Report a rumour seen in a chat group.
    case reportRumours = "report_rumours"
    /// Verify rumours (evidence, verdict, escalation), draft corrections, keep the chat-group
    /// register with its officers.
    case verifyRumours = "verify_rumours"
    /// Approve and publish what residents are told with the committee's authority: corrections
    /// and their retractions, answers, notices, briefings.
    case publishInformation = "publish_information"
}

extension RoleKind {
    public var capabilities: Set<Capability> {
        switch self {
        case .admin:
            Set(Capability.allCases)
        case .districtStaff:
            [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .exportUnmasked, .configureRequests, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .manageSupplies, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours, .publishInformation]
        case .subdistrictStaff:
            [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .exportUnmasked, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .manageSupplies, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours, .publishInformation]
        case .committeeStaff:
            [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .exportUnmasked, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .manageSupplies, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours, .publishInformation]
        case .compoundLead:
            [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours]
        case .medicineRunner:
            // A runner checks each resident's prescriptions and carries their insurance cards to
            // the hospital.
            [.viewDirectory, .viewFullPhone, .viewSensitive, .runMedicine, .reportRumours]
        case .buildingLeader:
            [.viewDirectory, .viewFullPhone, .surveyHouseholds, .handOutSupplies, .reportRumours]
        case .groupBuyLeader:
            // Approving a buy stays with the committee: a leader never approves their own.
            [.viewDirectory, .leadGroupBuys, .handOutSupplies, .reportRumours]
        case .informationOfficer:
            // The officer watches the groups, reports and argues the facts; what is published in
            // the committee's name is approved by its staff.
            [.viewDirectory, .reportRumours, .verifyRumours]
        }
    }
}

/// The roles one user holds, answering "may they do X to the record at path P?".
public struct Grants: Sendable, Hashable {
    public let roles: [RoleAssignment]

    public init(roles: [RoleAssignment]) { self.roles = roles }

    public func allows(_ capability: Capability, at path: PlacePath) -> Bool {
        roles.contains { $0.role.capabilities.contains(capability) && $0.path.contains(path) }
    }

    /// The places under which `capability` holds, without places nested in another one.
    public func scopes(for capability: Capability) -> [PlacePath] {
        let paths = roles.filter { $0.role.capabilities.contains(capability) }.map(\.path)
        return paths.filter { path in !paths.contains { $0 != path && $0.contains(path) } }
            .reduce(into: [PlacePath]()) { unique, path in if !unique.contains(path) { unique.append(path) } }
    }

    public var isEmpty: Bool { roles.isEmpty }
}
