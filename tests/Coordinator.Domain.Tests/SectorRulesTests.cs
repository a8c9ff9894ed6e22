using Coordinator.Domain;
using Coordinator.Domain.Sectors;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

public class SectorRulesTests
{
    [Fact]
    public void A_sector_goes_from_unsearched_through_assigned_and_in_progress_to_cleared()
    {
        var s = DefinedCell();
        Assert.Equal(SectorStatus.Unsearched, s.Status);
        s = s.Then(Assign("K9-1"));
        Assert.Equal((SectorStatus.Assigned, "K9-1"), (s.Status, s.Team));
        s = s.Then(Entered("K9-1"));
        Assert.Equal(SectorStatus.InProgress, s.Status);
        s = s.Then(Cleared("K9-1", method: SearchMethod.K9));
        Assert.Equal((SectorStatus.Cleared, null, "K9-1"), (s.Status, s.Team, s.LastTeam));
        Assert.Equal(4, s.Version);
    }

    [Fact]
    public void Clearing_a_sector_nobody_was_assigned_to_is_refused()
    {
        var r = Refused(DefinedCell().Decide(Cleared("SAR-1"), Now));
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam, r.Code);
    }

    [Fact]
    public void A_team_cannot_report_on_a_sector_assigned_to_another_team()
    {
        var s = InProgressWith("SAR-1");
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam, Refused(s.Decide(Cleared("SAR-2"), Now)).Code);
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam, Refused(s.Decide(new ReportHazard(Cell, "h", "SAR-2", "gas", Lead), Now)).Code);
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam,
            Refused(s.Decide(new ReportPersonsFound(Cell, "p", "SAR-2", 1, 0, false, null, [], Lead), Now)).Code);
    }

    [Fact]
    public void Clearing_before_entering_is_refused()
    {
        var s = DefinedCell().Then(Assign("SAR-1"));
        Assert.Equal(RefusalCode.SectorNotInProgress, Refused(s.Decide(Cleared("SAR-1"), Now)).Code);
    }

    [Fact]
    public void Entering_twice_is_refused_and_entering_an_unassigned_sector_too()
    {
        Assert.Equal(RefusalCode.SectorNotAwaitingEntry, Refused(InProgressWith("A").Decide(Entered("A", "again"), Now)).Code);
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam, Refused(DefinedCell().Decide(Entered("A"), Now)).Code);
    }

    [Fact]
    public void A_team_lacking_a_needed_capability_cannot_be_assigned()
    {
        var s = DefinedCell(Capability.DoorOpening);
        var r = Refused(s.Decide(Assign("SAR-1", Capability.Search), Now));
        Assert.Equal(RefusalCode.TeamLacksCapability, r.Code);
        Assert.Contains("DoorOpening", r.Reason);
        Assert.Equal(SectorStatus.Assigned, s.Then(Assign("DOOR-1", Capability.DoorOpening, Capability.Search)).Status);
    }

    [Theory]
    [InlineData(SectorStatus.Assigned)]
    [InlineData(SectorStatus.InProgress)]
    [InlineData(SectorStatus.Cleared)]
    [InlineData(SectorStatus.Hazard)]
    public void A_sector_that_is_taken_or_done_or_hazardous_is_not_assignable(SectorStatus status)
    {
        var s = status switch
        {
            SectorStatus.Assigned => DefinedCell().Then(Assign("A")),
            SectorStatus.InProgress => InProgressWith("A"),
            SectorStatus.Cleared => InProgressWith("A").Then(Cleared("A")),
            _ => InProgressWith("A").Then(new ReportHazard(Cell, "h", "A", "unstable ceiling", Lead)),
        };
        Assert.Equal(status, s.Status);
        Assert.Equal(RefusalCode.SectorNotAssignable, Refused(s.Decide(Assign("B"), Now)).Code);
    }

    [Fact]
    public void Assigning_the_same_team_again_is_answered_without_a_new_event()
    {
        var s = DefinedCell().Then(Assign("A"));
        Assert.Empty(Events(s.Decide(Assign("A"), Now)));
    }

    [Fact]
    public void A_blocked_sector_names_what_it_needs_and_only_a_capable_team_is_assigned_next()
    {
        var s = InProgressWith("SAR-1").Then(new ReportBlocked(Cell, "b", "SAR-1", [Capability.DoorOpening], "iron door", Lead));
        Assert.Equal((SectorStatus.Blocked, null), (s.Status, s.Team));
        Assert.Contains(Capability.DoorOpening, s.Needs);
        Assert.Equal(RefusalCode.TeamLacksCapability, Refused(s.Decide(Assign("SAR-2", Capability.Search), Now)).Code);

        // Straight to Assigned for a capable crew, which opens the door and hands the cell back to searchers.
        s = s.Then(Assign("DOOR-1", Capability.DoorOpening));
        Assert.Equal(SectorStatus.Assigned, s.Status);
        s = s.Then(new ReportAccessOpened(Cell, "o", "DOOR-1", [Capability.DoorOpening], Lead));
        Assert.Equal((SectorStatus.Unsearched, null), (s.Status, s.Team));
        Assert.Empty(s.Needs);
        Assert.Equal(SectorStatus.Assigned, s.Then(Assign("SAR-2", Capability.Search)).Status);
    }

    [Fact]
    public void A_blocked_report_must_name_the_capability_needed_and_access_opened_must_be_needed()
    {
        var s = InProgressWith("A");
        Assert.Equal(RefusalCode.InvalidField, Refused(s.Decide(new ReportBlocked(Cell, "b", "A", [], null, Lead), Now)).Code);
        Assert.Equal(RefusalCode.AccessNotNeeded, Refused(s.Decide(new ReportAccessOpened(Cell, "o", "A", [Capability.Breaching], Lead), Now)).Code);
    }

    [Fact]
    public void A_hazard_stops_work_names_the_hazard_and_releases_the_team()
    {
        var s = InProgressWith("A").Then(new ReportHazard(Cell, "h", "A", "gas leak", Lead));
        Assert.Equal((SectorStatus.Hazard, "gas leak", null), (s.Status, s.Hazard, s.Team));
        Assert.Equal(RefusalCode.InvalidField, Refused(InProgressWith("A").Decide(new ReportHazard(Cell, "h", "A", " ", Lead), Now)).Code);
    }

    [Fact]
    public void A_hazard_beats_a_concurrent_cleared_from_the_same_team_and_needs_the_facility_first()
    {
        var cleared = InProgressWith("A").Then(Cleared("A"));
        var decision = cleared.Decide(new ReportHazard(Cell, "h", "A", "ceiling collapsing", Lead), Now);
        var events = Events(decision);
        Assert.NotNull(cleared.ConsentNeeded(events));
        Assert.True(cleared.ConsentNeeded(events)!.Reopens);
        Assert.Equal(SectorStatus.Hazard, events.Aggregate(cleared, (x, e) => x.Evolve(e)).Status);
        // Another team has no such claim.
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam, Refused(cleared.Decide(new ReportHazard(Cell, "h", "B", "x", Lead), Now)).Code);
    }

    [Fact]
    public void Cleared_with_deceased_counts_them_and_needs_at_least_one()
    {
        var s = InProgressWith("A");
        Assert.Equal(RefusalCode.InvalidField,
            Refused(s.Decide(new ReportClearedWithDeceased(Cell, "d", "A", SearchMethod.Visual, 0, Lead), Now)).Code);
        s = s.Then(new ReportClearedWithDeceased(Cell, "d", "A", SearchMethod.Visual, 2, Lead));
        Assert.Equal((SectorStatus.ClearedWithDeceased, 2), (s.Status, s.Deceased));
    }

    [Fact]
    public void Persons_found_are_counted_while_the_team_works_on()
    {
        var s = InProgressWith("A").Then(new ReportPersonsFound(Cell, "p1", "A", 3, 1, true, "Ahmad, 34, from Homs", [], Lead));
        Assert.Equal((SectorStatus.InProgress, 3, 1), (s.Status, s.Alive, s.Deceased));
        Assert.Equal(RefusalCode.InvalidField, Refused(s.Decide(new ReportPersonsFound(Cell, "p2", "A", 0, 0, false, null, [], Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(s.Decide(new ReportPersonsFound(Cell, "p3", "A", -1, 2, false, null, [], Lead), Now)).Code);
    }

    [Fact]
    public void A_hidden_space_found_while_searching_becomes_a_child_and_the_facility_is_asked_first()
    {
        var s = InProgressWith("K9-1");
        var events = Events(s.Decide(new ReportHiddenSpaceFound(Cell, "hs", "K9-1", "B3-X-1", null, [Capability.Breaching],
            "K9 alert at wall", Lead), Now));
        var consent = s.ConsentNeeded(events)!;
        Assert.False(consent.Reopens);
        Assert.Equal(("B3-X-1", Cell.Sector, SectorKind.HiddenSpace), (consent.Child!.Id, consent.Child.Parent, consent.Child.Kind));
        var after = events.Aggregate(s, (x, e) => x.Evolve(e));
        Assert.Equal((SectorStatus.InProgress, "B3-X-1"), (after.Status, after.Children.Single()));
    }

    [Fact]
    public void A_hidden_space_under_a_cleared_sector_reopens_it_whoever_reports_it()
    {
        var s = InProgressWith("SAR-1").Then(Cleared("SAR-1")).Then(new ReportHiddenSpaceFound(Cell, "hs", "K9-2", "B3-X-1", "void", [], null, Lead));
        Assert.Equal(SectorStatus.Unsearched, s.Status);
        Assert.Contains("B3-X-1", s.Children);
        // While someone else searches it, an outsider cannot add to it.
        Assert.Equal(RefusalCode.SectorNotAssignedToTeam,
            Refused(InProgressWith("SAR-1").Decide(new ReportHiddenSpaceFound(Cell, "hs", "K9-2", "B3-X-2", null, [], null, Lead), Now)).Code);
    }

    [Fact]
    public void Reopening_needs_a_reason_and_a_cleared_or_hazardous_sector()
    {
        var cleared = InProgressWith("A").Then(Cleared("A"));
        Assert.Equal(RefusalCode.InvalidField, Refused(cleared.Decide(new ReopenSector(Cell, "", Lead), Now)).Code);
        Assert.Equal(RefusalCode.SectorNotReopenable, Refused(InProgressWith("A").Decide(new ReopenSector(Cell, "witness", Lead), Now)).Code);
        var reopened = cleared.Then(new ReopenSector(Cell, "witness heard knocking", Lead));
        Assert.Equal(SectorStatus.Unsearched, reopened.Status);
        Assert.True(cleared.ConsentNeeded(Events(cleared.Decide(new ReopenSector(Cell, "witness", Lead), Now)))!.Reopens);
    }

    [Fact]
    public void A_repeated_report_is_answered_with_its_first_outcome_and_changes_nothing()
    {
        var s = InProgressWith("A").Then(Cleared("A", "r-77"));
        var repeat = Assert.IsType<Decision<ISectorEvent>.Repeated>(s.Decide(Cleared("A", "r-77"), Now));
        Assert.Equal(new ReportOutcome(4, SectorStatus.Cleared), repeat.Outcome);
        var entered = Assert.IsType<Decision<ISectorEvent>.Repeated>(s.Decide(Entered("A", "r-enter"), Now));
        Assert.Equal(new ReportOutcome(3, SectorStatus.InProgress), entered.Outcome);
    }

    [Fact]
    public void The_same_report_id_with_other_content_is_refused()
    {
        var s = InProgressWith("A").Then(Cleared("A", "r-77"));
        Assert.Equal(RefusalCode.ReportIdReused, Refused(s.Decide(Cleared("A", "r-77", SearchMethod.K9), Now)).Code);
    }

    [Fact]
    public void Recalling_releases_the_team_and_the_sector_returns_to_unsearched_or_blocked()
    {
        var s = InProgressWith("A").Then(new ReleaseTeam(Cell, "A", Lead));
        Assert.Equal((SectorStatus.Unsearched, null), (s.Status, s.Team));
        Assert.Empty(Events(s.Decide(new ReleaseTeam(Cell, "A", Lead), Now))); // a retried release

        var blocked = InProgressWith("A").Then(new ReportBlocked(Cell, "b", "A", [Capability.Breaching], null, Lead))
            .Then(Assign("BR-1", Capability.Breaching)).Then(new ReleaseTeam(Cell, "BR-1", Lead));
        Assert.Equal(SectorStatus.Blocked, blocked.Status);
    }

    [Fact]
    public void An_undefined_sector_refuses_everything_but_its_definition()
    {
        Assert.Equal(RefusalCode.SectorNotFound, Refused(Sector.Empty(Cell).Decide(Assign("A"), Now)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    public void Report_ids_outside_the_allowed_characters_are_refused(string id)
    {
        Assert.Equal(RefusalCode.InvalidId, Refused(InProgressWith("A").Decide(Cleared("A", id), Now)).Code);
    }

    [Fact]
    public void An_alert_about_a_sector_is_acknowledged_once_and_the_sector_remembers_who_saw_it()
    {
        var s = DefinedCell().Then(new AcknowledgeAlert(Cell, 42, Lead));
        Assert.Contains(42L, s.AcknowledgedAlerts);
        Assert.Equal(RefusalCode.AlertAlreadyAcknowledged, Refused(s.Decide(new AcknowledgeAlert(Cell, 42, Lead), Now)).Code);
        Assert.Equal([new AlertAcknowledged(Cell, 43, Now, Lead)], Events(s.Decide(new AcknowledgeAlert(Cell, 43, Lead), Now)));
        Assert.Equal(SectorStatus.Unsearched, s.Status); // seeing an alert changes nothing on the ground
    }
}
