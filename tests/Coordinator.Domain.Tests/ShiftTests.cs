using Coordinator.Domain;
using Coordinator.Domain.Teams;
using Coordinator.Domain.Views;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>A team's shift runs from its first assignment until it is set resting, whatever sectors it works in between.</summary>
public class ShiftTests
{
    private static readonly SectorRef[] Cells = [new("saydnaya", "B2-C-1"), new("saydnaya", "B2-C-2"), new("saydnaya", "B2-C-3")];
    private static readonly ShiftLimit SixHours = ShiftLimit.Default;

    /// <summary>Applies a command at a given time, as the team's actor would then.</summary>
    private static Team At(Team t, ITeamCommand c, DateTimeOffset when) =>
        t.Apply(x => x.Decide(c, when), (x, e) => x.Evolve(e));

    private static Team Registered() => Team.Empty("K9-1").Then(new RegisterTeam("K9-1", "Kilo Nine One", 4, [Capability.Search], Lead));

    /// <summary>Assigned at the given time, entered, then cleared an hour later: one sector's work done.</summary>
    private static Team Works(Team t, SectorRef cell, DateTimeOffset from)
    {
        t = At(t, new AssignTeam("K9-1", cell, Lead), from);
        t = At(t, new SectorAnswered("K9-1", cell, null), from);
        t = At(t, new SectorReported("K9-1", cell, true, SectorStatus.InProgress), from.AddMinutes(5));
        return At(t, new SectorReported("K9-1", cell, false, SectorStatus.Cleared), from.AddHours(1));
    }

    [Fact]
    public void A_team_assigned_to_three_sectors_in_a_row_keeps_one_shift_clock()
    {
        var t = Registered();
        Assert.Null(t.OnDutySince);
        for (var i = 0; i < Cells.Length; i++)
        {
            t = Works(t, Cells[i], Now.AddHours(2 * i));
            Assert.Equal(Now, t.OnDutySince);
            Assert.Null(t.OnSiteSince); // time in a sector ends with the sector; the shift does not
        }
        Assert.Equal(TimeSpan.FromHours(5), t.OnDuty(Now.AddHours(5)));
    }

    [Theory]
    [InlineData(TeamStatus.Resting)]
    [InlineData(TeamStatus.OutOfService)]
    public void Resting_or_going_out_of_service_ends_the_shift_and_the_next_assignment_starts_a_new_one(TeamStatus rest)
    {
        var t = Works(Registered(), Cells[0], Now);
        t = At(t, new SetTeamStatus("K9-1", rest, Lead), Now.AddHours(2));
        Assert.Null(t.OnDutySince);
        Assert.Equal(ShiftStage.OffDuty, SixHours.StageOf(t, Now.AddHours(20)));
        t = At(t, new SetTeamStatus("K9-1", TeamStatus.Available, Lead), Now.AddHours(8));
        Assert.Null(t.OnDutySince); // available is ready, not yet working
        t = Works(t, Cells[1], Now.AddHours(9));
        Assert.Equal(Now.AddHours(9), t.OnDutySince);
    }

    [Fact]
    public void A_refused_assignment_does_not_start_a_shift()
    {
        var t = At(Registered(), new AssignTeam("K9-1", Cells[0], Lead), Now);
        t = At(t, new SectorAnswered("K9-1", Cells[0], new Refusal(RefusalCode.TeamLacksCapability, "needs DoorOpening")), Now);
        Assert.Null(t.OnDutySince);
    }

    [Theory]
    [InlineData(0, ShiftStage.OnDuty)]
    [InlineData(5.9, ShiftStage.OnDuty)]
    [InlineData(6, ShiftStage.PastLimit)]
    [InlineData(8.9, ShiftStage.PastLimit)]
    [InlineData(9, ShiftStage.Overrun)]
    [InlineData(30, ShiftStage.Overrun)]
    public void The_stage_of_a_shift_follows_the_limit_and_half_again(double hours, ShiftStage expected)
    {
        var t = Works(Registered(), Cells[0], Now);
        Assert.Equal(expected, SixHours.StageOf(t, Now.AddHours(hours)));
    }

    [Fact]
    public void The_board_raises_one_shift_alert_at_the_limit_and_a_second_past_it_by_half()
    {
        var team = Team.Empty("K9-1");
        var events = new List<ITeamEvent>();
        void Record(ITeamCommand c, DateTimeOffset when)
        {
            var accepted = Assert.IsType<Decision<ITeamEvent>.Accepted>(team.Decide(c, when));
            foreach (var e in accepted.Events) { events.Add(e); team = team.Evolve(e); }
        }
        Record(new RegisterTeam("K9-1", "Kilo Nine One", 4, [Capability.Search], Lead), Now);
        Record(new AssignTeam("K9-1", Cells[0], Lead), Now);
        Record(new SectorAnswered("K9-1", Cells[0], null), Now);
        var offset = 0L;
        var board = events.Aggregate(Board.Empty, (b, e) => b.Apply(e, ++offset).Board);

        Assert.Empty(board.ShiftAlerts(Now.AddHours(5), SixHours));
        var atLimit = Assert.Single(board.ShiftAlerts(Now.AddHours(7), SixHours));
        Assert.Equal((AlertKind.ShiftLimit, "K9-1", "B2-C-1", Now.AddHours(6)), (atLimit.Kind, atLimit.Team, atLimit.Sector, atLimit.At));
        // The facts a page words in its reader's language; the English text for coord and logs made from them.
        Assert.Equal(new AlertFacts(CallSign: "Kilo Nine One", Since: Now), atLimit.Facts);
        Assert.Equal($"Kilo Nine One: on duty since {Now:yyyy-MM-dd HH:mm} UTC", atLimit.Text);
        Assert.Equal([AlertKind.ShiftOverrun, AlertKind.ShiftLimit], board.OpenAlerts(Now.AddHours(10), SixHours).Select(a => a.Kind));
        Assert.Equal(Now, board.Teams["K9-1"].OnDutySince);
        Assert.Equal(Now, Board.LiveTeamOf(board.Teams["K9-1"]).OnDutySince);
    }
}
