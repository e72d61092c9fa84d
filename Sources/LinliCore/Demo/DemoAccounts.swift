/// Chooses the demo logins from the first compound, one per role a tester needs (the roles and
/// who holds them: docs/GLOSSARY.md). Volunteers log in with their own phone; the staff
/// above the committee are not volunteers and get easy numbers 13800000001 ... instead.
enum DemoAccounts {
    static func pick(from firstCompound: DemoBatch) -> [DemoAccount] {
        var picker = Picker(batch: firstCompound)
        var accounts: [DemoAccount] = []
        let staff: [(PlaceLevel, RoleKind, String)] = [
            (.city, .admin, "系统管理员"),
            (.district, .districtStaff, "周文杰"),
            (.subdistrict, .subdistrictStaff, "沈丽萍"),
        ]
        for (ordinal, (level, role, name)) in staff.enumerated() {
            if let place = picker.place(level) {
                accounts.append(DemoAccount(phone: DemoPhone.staff(ordinal + 1), name: name, role: role, placeID: place.id, placePath: place.path))
            }
        }
        guard let committee = picker.place(.committee), let compound = picker.place(.compound) else { return accounts }
        let buildings = firstCompound.places.filter { $0.level == .building }

        func add(_ role: RoleKind, at place: Place, _ volunteer: Volunteer?) {
            // Only reachable if the first compound had almost no volunteers: a staff number keeps
            // the account usable.
            let phone = volunteer?.phone ?? DemoPhone.staff(accounts.count + 1)
            accounts.append(DemoAccount(phone: phone, name: volunteer?.name ?? "演示用户", role: role, placeID: place.id, placePath: place.path))
        }

        add(.committeeStaff, at: committee, picker.take { $0.forceType == .communityWorker })
        add(.compoundLead, at: compound, picker.take(fromTeam: .temporaryPartyBranch, at: compound.id))
        // The browser test signs in as the first building's leader; the second building's leader
        // proves that one leader cannot see the other's building.
        for building in buildings.prefix(2) {
            add(.buildingLeader, at: building, picker.take(fromTeam: .buildingGroup, at: building.id))
        }
        add(.medicineRunner, at: compound, picker.take(fromTeam: .medicineTeam, at: compound.id))
        // A group-buy leader must be a resident of the compound, as committees such as 安建居委
        // required in 2022 after outside leaders overcharged residents.
        add(.groupBuyLeader, at: compound, picker.take { $0.residentID != nil && $0.forceType == .residentVolunteer })
        add(.informationOfficer, at: committee, picker.take { $0.skills.contains("电脑") } ?? picker.take { _ in true })
        return accounts
    }

    /// Hands out each volunteer at most once, so every account has its own phone.
    private struct Picker {
        let batch: DemoBatch
        var used = Set<VolunteerID>()

        func place(_ level: PlaceLevel) -> Place? { batch.places.first { $0.level == level } }

        mutating func take(_ matches: (Volunteer) -> Bool) -> Volunteer? {
            guard let volunteer = batch.volunteers.first(where: { !used.contains($0.id) && matches($0) }) else { return nil }
            used.insert(volunteer.id)
            return volunteer
        }

        mutating func take(fromTeam kind: TeamKind, at placeID: PlaceID) -> Volunteer? {
            guard let team = batch.teams.first(where: { $0.kind == kind && $0.placeID == placeID }) else { return nil }
            // Team order matters: the branch secretary and the building leader are listed first.
            for memberID in team.memberIDs where !used.contains(memberID) {
                if let volunteer = batch.volunteers.first(where: { $0.id == memberID }) {
                    used.insert(memberID)
                    return volunteer
                }
            }
            return nil
        }
    }
}
