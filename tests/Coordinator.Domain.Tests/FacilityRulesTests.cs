using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

public class FacilityRulesTests
{
    private static SectorDefinition Def(string id, string? parent, SectorKind kind = SectorKind.Cell, params Capability[] needs) =>
        new(id, parent, kind, id, [.. needs]);

    private static readonly ImmutableArray<SectorDefinition> SmallLayout =
    [
        Def("B2-C-1", "B2-C"), Def("B2-C-2", "B2-C", SectorKind.Cell, Capability.DoorOpening),
        Def("B2-C", "B2", SectorKind.Corridor), Def("B2", null, SectorKind.Level),
    ];

    private static Facility Registered() =>
        Facility.Empty("saydnaya").Then(new RegisterFacility("saydnaya", "Saydnaya", ["Sednaya"], "near Damascus", Lead));

    private static Facility WithLayout() => Registered().Then(new DefineSectors("saydnaya", SmallLayout, Lead));

    private static Facility Progress(Facility f, string sector, SectorStatus status, long version) =>
        f.Then(new RecordSectorProgress("saydnaya", sector, new SectorProgress(status, null, 0, 0, version)));

    [Fact]
    public void A_layout_may_list_children_before_parents_and_repeating_it_changes_nothing()
    {
        var f = WithLayout();
        Assert.Equal(4, f.Sectors.Count);
        Assert.True(f.IsLeaf("B2-C-1"));
        Assert.False(f.IsLeaf("B2-C"));
        Assert.Empty(Events(f.Decide(new DefineSectors("saydnaya", SmallLayout, Lead), Now)));
    }

    [Fact]
    public void A_layout_with_a_missing_parent_a_cycle_or_a_conflicting_duplicate_is_refused_whole()
    {
        var f = Registered();
        Assert.Equal(RefusalCode.ParentSectorNotFound,
            Refused(f.Decide(new DefineSectors("saydnaya", [Def("A", null), Def("B", "nowhere")], Lead), Now)).Code);
        Assert.Equal(RefusalCode.LayoutHasCycle,
            Refused(f.Decide(new DefineSectors("saydnaya", [Def("A", "C"), Def("B", "A"), Def("C", "B")], Lead), Now)).Code);
        Assert.Equal(RefusalCode.LayoutHasCycle, Refused(f.Decide(new DefineSectors("saydnaya", [Def("A", "A")], Lead), Now)).Code);
        Assert.Equal(RefusalCode.SectorConflict,
            Refused(f.Decide(new DefineSectors("saydnaya", [Def("A", null), Def("A", null, SectorKind.Shaft)], Lead), Now)).Code);
        Assert.Equal(RefusalCode.SectorConflict,
            Refused(WithLayout().Decide(new DefineSectors("saydnaya", [Def("B2", null, SectorKind.Block)], Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidId, Refused(f.Decide(new DefineSectors("saydnaya", [Def("bad id", null)], Lead), Now)).Code);
    }

    [Fact]
    public void A_large_layout_is_recorded_parents_first_in_bounded_events()
    {
        var sectors = Enumerable.Range(0, 2500).Select(i => Def($"C-{i}", "L")).Append(Def("L", null, SectorKind.Level)).ToImmutableArray();
        var events = Events(Registered().Decide(new DefineSectors("saydnaya", sectors, Lead), Now)).Cast<SectorsDefined>().ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal("L", events[0].Sectors[0].Id);
        Assert.All(events, e => Assert.True(e.Sectors.Length <= Facility.SectorsPerEvent));
    }

    [Fact]
    public void Commands_to_an_unregistered_facility_are_refused_and_registration_conflicts_are_named()
    {
        Assert.Equal(RefusalCode.FacilityNotFound, Refused(Facility.Empty("x").Decide(new SignOffFacility("x", Lead), Now)).Code);
        Assert.Equal(RefusalCode.FacilityAlreadyRegistered,
            Refused(Registered().Decide(new RegisterFacility("saydnaya", "Other", [], null, Lead), Now)).Code);
        Assert.Empty(Events(Registered().Decide(new RegisterFacility("saydnaya", "Saydnaya", ["Sednaya"], "near Damascus", Lead), Now)));
        Assert.Equal(RefusalCode.InvalidField, Refused(Facility.Empty("x").Decide(new RegisterFacility("x", "", [], null, Lead), Now)).Code);
    }

    [Fact]
    public void Sign_off_is_refused_until_every_leaf_is_cleared()
    {
        var f = WithLayout();
        var refusal = Refused(f.Decide(new SignOffFacility("saydnaya", Lead), Now));
        Assert.Equal(RefusalCode.FacilityHasUnsearchedSectors, refusal.Code);
        Assert.Contains("B2-C-1", refusal.Reason);
        f = Progress(f, "B2-C-1", SectorStatus.Cleared, 4);
        Assert.Equal(RefusalCode.FacilityHasUnsearchedSectors, Refused(f.Decide(new SignOffFacility("saydnaya", Lead), Now)).Code);
        f = Progress(f, "B2-C-2", SectorStatus.ClearedWithDeceased, 4).Then(new SignOffFacility("saydnaya", Lead));
        Assert.True(f.SignedOff);
        Assert.Equal(RefusalCode.FacilityAlreadySignedOff, Refused(f.Decide(new SignOffFacility("saydnaya", Lead), Now)).Code);
        Assert.Equal(RefusalCode.FacilityHasNoSectors, Refused(Registered().Decide(new SignOffFacility("saydnaya", Lead), Now)).Code);
    }

    [Fact]
    public void Open_work_on_a_container_sector_also_stops_a_sign_off()
    {
        var f = Progress(Progress(WithLayout(), "B2-C-1", SectorStatus.Cleared, 4), "B2-C-2", SectorStatus.Cleared, 4);
        f = Progress(f, "B2-C", SectorStatus.Hazard, 3);
        Assert.Equal(RefusalCode.FacilityHasUnsearchedSectors, Refused(f.Decide(new SignOffFacility("saydnaya", Lead), Now)).Code);
    }

    [Fact]
    public void Progress_is_applied_by_version_so_redelivery_and_reordering_are_harmless()
    {
        var f = Progress(WithLayout(), "B2-C-1", SectorStatus.Cleared, 4);
        Assert.Empty(Events(f.Decide(new RecordSectorProgress("saydnaya", "B2-C-1",
            new SectorProgress(SectorStatus.InProgress, "A", 0, 0, 3)), Now)));
        Assert.Empty(Events(f.Decide(new RecordSectorProgress("saydnaya", "B2-C-1", new SectorProgress(SectorStatus.Cleared, null, 0, 0, 4)), Now)));
        Assert.Equal(SectorStatus.Cleared, f.ProgressOf("B2-C-1").Status);
    }

    [Fact]
    public void A_hidden_space_under_a_cleared_sector_makes_a_signed_off_facility_not_clear_again()
    {
        var f = Progress(Progress(WithLayout(), "B2-C-1", SectorStatus.Cleared, 4), "B2-C-2", SectorStatus.Cleared, 4)
            .Then(new SignOffFacility("saydnaya", Lead));
        var child = new SectorDefinition("B3-X", "B2-C-1", SectorKind.HiddenSpace, "void", []);
        f = f.Then(new ConsentToSectorChange("saydnaya", "B2-C-1", 4, true, child, "K9 alert", Lead));
        Assert.False(f.SignedOff);
        Assert.True(f.IsLeaf("B3-X"));
        Assert.False(f.IsLeaf("B2-C-1"));
        Assert.Equal(SectorStatus.Unsearched, f.ProgressOf("B2-C-1").Status);
        // The stale "cleared at version 4" cannot undo the reopening.
        Assert.Empty(Events(f.Decide(new RecordSectorProgress("saydnaya", "B2-C-1", new SectorProgress(SectorStatus.Cleared, null, 0, 0, 4)), Now)));
        Assert.Equal(RefusalCode.FacilityHasUnsearchedSectors, Refused(f.Decide(new SignOffFacility("saydnaya", Lead), Now)).Code);
        // Asking again with the same child changes nothing; another parent for it is a conflict.
        Assert.Empty(Events(f.Decide(new ConsentToSectorChange("saydnaya", "B2-C-1", 4, false, child, "K9 alert", Lead), Now)));
        Assert.Equal(RefusalCode.SectorConflict,
            Refused(f.Decide(new ConsentToSectorChange("saydnaya", "B2-C-2", 4, false, child with { Parent = "B2-C-2" }, "x", Lead), Now)).Code);
    }

    [Fact]
    public void A_new_sector_added_after_sign_off_revokes_it()
    {
        var f = Progress(Progress(WithLayout(), "B2-C-1", SectorStatus.Cleared, 4), "B2-C-2", SectorStatus.Cleared, 4)
            .Then(new SignOffFacility("saydnaya", Lead));
        f = f.Then(new DefineSectors("saydnaya", [Def("B2-C-3", "B2-C")], Lead));
        Assert.False(f.SignedOff);
    }
}
