using Coordinator.Domain;
using Coordinator.Domain.Teams;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

public class TeamRulesTests
{
    private static readonly SectorRef Other = new("saydnaya", "B2-C-15");

    private static Team Registered(string id = "K9-1") =>
        Team.Empty(id).Then(new RegisterTeam(id, "Kilo Nine One", 4, [Capability.K9, Capability.Search], Lead));

    private static Team AssignedTo(SectorRef sector) =>
        Registered().Then(new AssignTeam("K9-1", sector, Lead)).Then(new SectorAnswered("K9-1", sector, null));

    [Fact]
    public void Registration_checks_its_fields_and_a_repeat_with_the_same_details_changes_nothing()
    {
        Assert.Equal(RefusalCode.InvalidId,
            Refused(Team.Empty("bad id").Decide(new RegisterTeam("bad id", "x", 1, [Capability.Search], Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Team.Empty("A").Decide(new RegisterTeam("A", "x", 0, [Capability.Search], Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Team.Empty("A").Decide(new RegisterTeam("A", "x", 3, [], Lead), Now)).Code);
        var t = Registered();
        Assert.Empty(Events(t.Decide(new RegisterTeam("K9-1", "Kilo Nine One", 4, [Capability.Search, Capability.K9], Lead), Now)));
        Assert.Equal(RefusalCode.TeamAlreadyRegistered, Refused(t.Decide(new RegisterTeam("K9-1", "Other", 4, [Capability.K9], Lead), Now)).Code);
    }

    [Fact]
    public void An_unregistered_team_is_not_found()
    {
        Assert.Equal(RefusalCode.TeamNotFound, Refused(Team.Empty("X").Decide(new AssignTeam("X", Cell, Lead), Now)).Code);
    }

    [Fact]
    public void Assignment_reserves_the_team_first_and_the_sectors_answer_confirms_it()
    {
        var t = Registered().Then(new AssignTeam("K9-1", Cell, Lead));
        Assert.Equal(new PendingChange(PendingStep.Assign, Cell, Lead), t.Pending);
        Assert.Equal(Cell, t.Holds);
        Assert.Equal(RefusalCode.TeamBusy, Refused(t.Decide(new AssignTeam("K9-1", Other, Lead), Now)).Code);
        t = t.Then(new SectorAnswered("K9-1", Cell, null));
        Assert.Equal((TeamStatus.Assigned, Cell, (PendingChange?)null), (t.Status, t.Assignment, t.Pending));
    }

    [Fact]
    public void A_sector_that_refuses_frees_the_team_again()
    {
        var refusal = new Refusal(RefusalCode.TeamLacksCapability, "needs DoorOpening");
        var t = Registered().Then(new AssignTeam("K9-1", Cell, Lead)).Then(new SectorAnswered("K9-1", Cell, refusal));
        Assert.Equal((TeamStatus.Available, (SectorRef?)null, (PendingChange?)null), (t.Status, t.Assignment, t.Pending));
    }

    [Fact]
    public void A_busy_team_cannot_be_assigned_elsewhere_and_the_same_assignment_again_is_no_change()
    {
        var t = AssignedTo(Cell);
        Assert.Equal(RefusalCode.TeamBusy, Refused(t.Decide(new AssignTeam("K9-1", Other, Lead), Now)).Code);
        Assert.Empty(Events(t.Decide(new AssignTeam("K9-1", Cell, Lead), Now)));
    }

    [Fact]
    public void The_team_goes_on_site_when_its_sector_reports_entry()
    {
        var t = AssignedTo(Cell).Then(new SectorReported("K9-1", Cell, true, SectorStatus.InProgress));
        Assert.Equal((TeamStatus.OnSite, Now), (t.Status, t.OnSiteSince));
    }

    [Fact]
    public void The_team_is_available_again_when_its_sector_no_longer_names_it()
    {
        var t = AssignedTo(Cell).Then(new SectorReported("K9-1", Cell, false, SectorStatus.Cleared));
        Assert.Equal((TeamStatus.Available, (SectorRef?)null), (t.Status, t.Assignment));
        // News of another sector is not news of ours.
        Assert.Empty(Events(AssignedTo(Cell).Decide(new SectorReported("K9-1", Other, false, SectorStatus.Cleared), Now)));
    }

    [Fact]
    public void Recall_holds_the_sector_until_the_sector_lets_go()
    {
        var t = AssignedTo(Cell).Then(new RecallTeam("K9-1", Lead));
        Assert.Equal(new PendingChange(PendingStep.Recall, Cell, Lead), t.Pending);
        Assert.Equal(Cell, t.Holds);
        t = t.Then(new SectorAnswered("K9-1", Cell, null));
        Assert.Equal((TeamStatus.Available, (SectorRef?)null), (t.Status, t.Holds));
        Assert.Equal(RefusalCode.TeamNotAssigned, Refused(t.Decide(new RecallTeam("K9-1", Lead), Now)).Code);
    }

    [Fact]
    public void A_resting_or_out_of_service_team_is_not_assigned_and_a_busy_team_cannot_be_set_resting()
    {
        var resting = Registered().Then(new SetTeamStatus("K9-1", TeamStatus.Resting, Lead));
        Assert.Equal(RefusalCode.TeamNotAvailable, Refused(resting.Decide(new AssignTeam("K9-1", Cell, Lead), Now)).Code);
        var oos = Registered().Then(new SetTeamStatus("K9-1", TeamStatus.OutOfService, Lead));
        Assert.Equal(TeamStatus.OutOfService, oos.Status);
        Assert.Equal(TeamStatus.Available, oos.Then(new SetTeamStatus("K9-1", TeamStatus.Available, Lead)).Status);
        Assert.Equal(RefusalCode.TeamBusy, Refused(AssignedTo(Cell).Decide(new SetTeamStatus("K9-1", TeamStatus.Resting, Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Registered().Decide(new SetTeamStatus("K9-1", TeamStatus.OnSite, Lead), Now)).Code);
    }

    [Fact]
    public void A_late_answer_to_a_finished_step_changes_nothing()
    {
        Assert.Empty(Events(AssignedTo(Cell).Decide(new SectorAnswered("K9-1", Cell, null), Now)));
    }
}
