using System.Runtime.CompilerServices;
using Coordinator.Node.Tests.Generated;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// The OpenAPI document as an integrator uses it: NSwag generates a C# client from the running node's document, and the
/// README's walk-through runs through that client, refusals included, each read by its problem's code. The client is
/// checked in (Generated/CoordinatorClient.cs); the first test says when it no longer is what the document makes.
/// </summary>
public class ApiClientTests : IAsyncLifetime
{
    private const string Regenerate = "COORD_REGENERATE_CLIENT";
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static string TestsFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string Repository => Path.GetFullPath(Path.Combine(TestsFolder(), "..", ".."));

    [Fact]
    public async Task The_checked_in_client_is_what_NSwag_makes_of_the_running_node_s_document()
    {
        var document = await _node.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        var generated = await ClientGenerator.GenerateAsync(document);
        var file = Path.Combine(TestsFolder(), "Generated", "CoordinatorClient.cs");
        if (Environment.GetEnvironmentVariable(Regenerate) == "1") await File.WriteAllTextAsync(file,
            generated, TestContext.Current.CancellationToken);
        var checkedIn = File.Exists(file) ? (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n") : "";
        Assert.True(checkedIn == generated,
            $"tests/Coordinator.Node.Tests/Generated/CoordinatorClient.cs is not what NSwag makes of the node's document: the document changed. " +
            $"Regenerate it with `{Regenerate}=1 dotnet run --project tests/Coordinator.Node.Tests -- -class \"*.ApiClientTests\"`, " +
            "read the diff, commit it.");
    }

    [Fact]
    public async Task The_README_walk_through_runs_through_the_generated_client_refusals_included()
    {
        var ct = TestContext.Current.CancellationToken;
        using var answers = new AnswerRecorder(); // every answer, checked against the document's schemas at the end
        using var http = answers.Client(_node.BaseAddress, NodeUnderTest.BootstrapToken);
        var coord = new CoordinatorClient(http);

        // coord facility add saydnaya …; coord facility import saydnaya docs/examples/saydnaya-layout.json
        var facility = await coord.PostFacilitiesAsync(
            new RegisterFacilityRequest { Id = "saydnaya", Name = "Saydnaya military prison", Aliases = ["Sednaya"], Location = "Rif Dimashq" }, ct);
        Assert.Equal(("saydnaya", "Rif Dimashq", false), (facility.Id, facility.Location, facility.SignedOff));
        Assert.Equal(new[] { "Sednaya" }, facility.Aliases);
        var layout = Newtonsoft.Json.JsonConvert.DeserializeObject<LayoutRequest>(
            await File.ReadAllTextAsync(Path.Combine(Repository, "docs", "examples", "saydnaya-layout.json"), ct))!;
        facility = await coord.PutFacilitiesByFacilityIdLayoutAsync("saydnaya", layout, ct);
        Assert.Equal(316, facility.Sectors);
        Assert.NotEmpty(facility.Levels);
        Assert.Equal(Code("FacilityAlreadyRegistered", 409), await Refusal(() =>
            coord.PostFacilitiesAsync(new RegisterFacilityRequest { Id = "saydnaya", Name = "Another name" }, ct)));

        // coord team add SAR-1 …; coord team add DOOR-1 …
        var sar = await coord.PostTeamsAsync(new RegisterTeamRequest
        {
            Id = "SAR-1",
            CallSign = "Sierra One",
            Size = 6,
            Capabilities = [Capability.Search]
        }, ct);
        Assert.Equal((TeamStatus.Available, ShiftStage.OffDuty), (sar.Status, sar.Shift));
        Assert.Null(sar.Assignment);
        await coord.PostTeamsAsync(new RegisterTeamRequest
        {
            Id = "DOOR-1",
            CallSign = "Delta One",
            Size = 3,
            Capabilities = [Capability.DoorOpening, Capability.Search]
        }, ct);

        // coord assign SAR-1 saydnaya R-B2-A-01: refused, the iron door; then DOOR-1
        Assert.Equal(Code("TeamLacksCapability", 409), await Refusal(() => coord.PostAssignmentsAsync(Assignment("SAR-1", "R-B2-A-01"), ct)));
        Assert.Equal(Code("SectorNotFound", 404), await Refusal(() => coord.PostAssignmentsAsync(Assignment("SAR-1", "R-NOWHERE"), ct)));
        Assert.Equal(Code("InvalidId", 400), await Refusal(() => coord.PostAssignmentsAsync(Assignment("SAR 1!", "R-B2-A-01"), ct)));
        var door = await coord.PostAssignmentsAsync(Assignment("DOOR-1", "R-B2-A-01"), ct);
        Assert.Equal((TeamStatus.Assigned, "R-B2-A-01"), (door.Status, door.Assignment?.SectorId));
        var briefing = await coord.GetTeamsByTeamIdBriefingAsync("DOOR-1", ct);
        Assert.Equal(("R-B2-A-01", SectorStatus.Assigned), (briefing.Assignment?.Sector.Id, briefing.Assignment?.Sector.Status));
        Assert.Contains(briefing.Assignment!.Path, p => p.Kind == SectorKind.Level);

        // coord report entered / persons --alive 2 --needs-medical / cleared --method Visual
        var entered = await coord.PostReportsAsync(Report("r-1", "R-B2-A-01", ReportKind.Entered), ct);
        Assert.Equal((ReportVerdict.Accepted, SectorStatus.InProgress), (entered.Outcome, entered.SectorStatus));
        var r2 = Report("r-2", "R-B2-A-01", ReportKind.PersonsFound);
        (r2.Alive, r2.NeedsMedical) = (2, true);
        await coord.PostReportsAsync(r2, ct);
        Assert.Equal(Code("InvalidField", 400), await Refusal(() => coord.PostReportsAsync(Report("r-3", "R-B2-A-01", ReportKind.Cleared), ct)));
        var r3 = Report("r-3", "R-B2-A-01", ReportKind.Cleared);
        r3.Method = SearchMethod.Visual;
        Assert.Equal(SectorStatus.Cleared, (await coord.PostReportsAsync(r3, ct)).SectorStatus);
        Assert.Equal(Code("ReportIdReused", 409), await Refusal(() => coord.PostReportsAsync(Report("r-3", "R-B2-A-01", ReportKind.Entered), ct)));

        // coord facility show saydnaya; coord history saydnaya R-B2-A-01; the sector and the board
        var sector = await coord.GetFacilitiesByFacilityIdSectorsBySectorIdAsync("saydnaya", "R-B2-A-01", ct);
        Assert.Equal((SectorStatus.Cleared, 2, "DOOR-1"), (sector.Status, sector.PersonsAlive, sector.LastTeam));
        Assert.Null(sector.Team);
        Assert.Equal(new[] { Capability.DoorOpening }, sector.Needs);
        // A list is a page: its items, and the cursor of the next page (none: this was the last).
        var page = await coord.GetFacilitiesByFacilityIdSectorsBySectorIdHistoryAsync("saydnaya", "R-B2-A-01", null, null, ct);
        Assert.Null(page.Next);
        var history = page.Items;
        Assert.True(history.Count >= 4, $"{history.Count} events");
        Assert.All(history, e => Assert.False(string.IsNullOrEmpty(e.By)));
        Assert.Equal([EventName.SectorDefined, EventName.TeamAssigned, EventName.SectorEntered, EventName.PersonsFound, EventName.SectorCleared],
            history.Select(e => e.Event).Where(e => e != EventName.TeamReleased));
        Assert.Equal(history.Select(e => e.Sequence).Order(), history.Select(e => e.Sequence));
        Assert.Equal(316, (await coord.GetFacilitiesByFacilityIdAsync("saydnaya", ct)).Sectors);
        Assert.Equal(Code("FacilityNotFound", 404), await Refusal(() => coord.GetFacilitiesByFacilityIdAsync("nowhere", ct)));
        Assert.Equal(Code("InvalidId", 400), await Refusal(() => coord.GetTeamsByTeamIdAsync("not an id!", ct)));
        Assert.Equal(Code("FacilityHasUnsearchedSectors", 409), await Refusal(() => coord.PostFacilitiesByFacilityIdSignoffAsync("saydnaya", ct)));
        var board = await Eventually(() => coord.GetBoardAsync(ct), b => b.Teams.Any(t => t.Id == "DOOR-1" && t.Status == TeamStatus.Available)
            && b.Facilities.Any(f => f.Id == "saydnaya" && f.Progress.Cleared == 1), "the board to show the cell cleared and DOOR-1 free again");
        Assert.Contains(board.Facilities, f => f.Id == "saydnaya" && f.Progress.PersonsAlive == 2 && f.Aliases.Contains("Sednaya"));
        Assert.Contains((await coord.GetAlertsAsync(null, null, null, ct)).Items,
            a => a.Kind == AlertKind.NeedsMedical && a.Sector == "R-B2-A-01" && a.Team == "DOOR-1");

        // A hidden space found behind a wall, and a person named (the family desk's part of the README)
        await coord.PostAssignmentsAsync(Assignment("DOOR-1", "R-B2-A-02"), ct);
        await coord.PostReportsAsync(Report("r-4", "R-B2-A-02", ReportKind.Entered), ct);
        var hidden = Report("r-5", "R-B2-A-02", ReportKind.HiddenSpaceFound);
        (hidden.NewSectorId, hidden.Name) = ("R-B2-A-02-H1", "Space behind the back wall");
        await coord.PostReportsAsync(hidden, ct);
        var named = Report("r-6", "R-B2-A-02", ReportKind.PersonsFound);
        named.Persons = [new PersonRequest { Name = "محمد أحمد الحلبي", Age = 38, HomeTown = "حمص" }];
        var found = await coord.PostReportsAsync(named, ct);
        var personId = Assert.Single(found.Persons!);
        var alerts = (await Eventually(() => coord.GetAlertsAsync(true, null, null, ct),
            a => a.Items.Any(x => x.Kind == AlertKind.HiddenSpaceFound), "the hidden space's alert")).Items;
        Assert.Contains(alerts, a => a.Kind == AlertKind.HiddenSpaceFound
            && a.Sector.StartsWith("R-B2-A-02", StringComparison.Ordinal) && a.Team == "DOOR-1");

        var desk = await coord.PostTokensAsync(new IssueTokenRequest { Role = Role.Familydesk, Expires = "1h" }, ct);
        Assert.Equal(Role.Familydesk, desk.Role);
        using var deskHttp = answers.Client(_node.BaseAddress, desk.Token);
        var family = new CoordinatorClient(deskHttp);
        var inquiry = await family.PostInquiriesAsync(new InquiryRequest
        {
            Id = "inq-1",
            Name = "Mohamed Ahmad Al-Halabi",
            FatherName = "Ahmad",
            BirthYear = 1987,
            HomeTown = "Homs",
        }, ct);
        Assert.Equal((InquiryStatus.Open, CaseStage.Registered), (inquiry.Status, inquiry.Stage));
        Assert.Null(inquiry.Outcome);
        var candidates = await Eventually(() => family.GetInquiriesByInquiryIdCandidatesAsync("inq-1", ct),
            c => c.Any(x => x.PersonId == personId), "the person as a candidate");
        Assert.True(candidates.First(c => c.PersonId == personId).Score > 0);
        Assert.Equal(Code("PersonNotFound", 404), await Refusal(() =>
            family.PostInquiriesByInquiryIdMatchesAsync("inq-1",
                new MatchRequest { PersonId = "p-nobody", Decision = MatchDecision.Confirmed }, ct)));
        inquiry = await family.PostInquiriesByInquiryIdMatchesAsync("inq-1",
            new MatchRequest { PersonId = personId, Decision = MatchDecision.Confirmed, Note = "brother recognised him" }, ct);
        Assert.Equal((CaseStage.CandidateConfirmed, MatchDecision.Confirmed), (inquiry.Stage, inquiry.Decisions.Single().Decision));

        // Sign-off: a small facility searched to the end, and its coverage as JSON
        await coord.PostFacilitiesAsync(new RegisterFacilityRequest { Id = "adra", Name = "Adra central prison" }, ct);
        await coord.PutFacilitiesByFacilityIdLayoutAsync("adra", new LayoutRequest
        {
            Sectors = [new SectorRequest { Id = "A", Kind = SectorKind.Site },
                new SectorRequest { Id = "A-1", Parent = "A", Kind = SectorKind.Cell, Name = "Cell 1" }],
        }, ct);
        await coord.PostAssignmentsAsync(new AssignmentRequest { TeamId = "SAR-1", FacilityId = "adra", SectorId = "A-1" }, ct);
        await coord.PostReportsAsync(new ReportRequest
        {
            ReportId = "a-1",
            TeamId = "SAR-1",
            FacilityId = "adra",
            SectorId = "A-1",
            Kind = ReportKind.Entered
        }, ct);
        await coord.PostReportsAsync(new ReportRequest
        {
            ReportId = "a-2",
            TeamId = "SAR-1",
            FacilityId = "adra",
            SectorId = "A-1",
            Kind = ReportKind.Cleared,
            Method = SearchMethod.K9,
        }, ct);
        var signedOff = await Eventually<FacilityView?>(async () =>
        {
            try { return await coord.PostFacilitiesByFacilityIdSignoffAsync("adra", ct); }
            catch (ApiException<ProblemView> e) when (e.Result.Code == "FacilityHasUnsearchedSectors") { return null; }
        }, f => f is not null, "the sign-off to pass once the facility knows the cell");
        Assert.True(signedOff!.SignedOff);
        var coverage = await Eventually(async () =>
        {
            // The coverage is read from the live view, which learns of the facility a moment after it is registered.
            try { return await coord.GetFacilitiesByFacilityIdCoverageAsync("adra", null, null, ct); }
            catch (ApiException<ProblemView> e) when (e.Result.Code == "FacilityNotFound") { return []; }
        }, rows => rows.Any(r => r.Sector == "A-1" && r.Status == SectorStatus.Cleared), "the coverage to show the cell cleared");
        var cell = Assert.Single(coverage, r => r.Sector == "A-1");
        Assert.Equal((SectorStatus.Cleared, "SAR-1"), (cell.Status, cell.Visits.Single().Team));

        // Refusals the framework makes: no token, a role that may not
        using var anonymous = answers.Client(_node.BaseAddress, null);
        Assert.Equal(Code("SignInNeeded", 401), await Refusal(() => new CoordinatorClient(anonymous).GetFacilitiesAsync(ct)));
        var monitorToken = await coord.PostTokensAsync(new IssueTokenRequest { Role = Role.Monitor, Expires = "5m" }, ct);
        using var monitorHttp = answers.Client(_node.BaseAddress, monitorToken.Token);
        var monitor = new CoordinatorClient(monitorHttp);
        Assert.Equal(Code("NotAllowed", 403),
            await Refusal(() => monitor.PostFacilitiesAsync(new RegisterFacilityRequest { Id = "x", Name = "X" }, ct)));
        await Eventually(() => monitor.GetFacilitiesAsync(ct), fs => fs.Any(f => f.Id == "adra" && f.SignedOff),
            "the monitor to see the facility signed off");
        Assert.Contains(await coord.GetTokensAsync(ct), t => t.Id == monitorToken.Id && t.Role == Role.Monitor && t.RevokedAt is null);

        // The audit trail of it all: every kind of event recorded above, each named from EventName and typed by its component.
        var audit = (await coord.GetAuditAsync(null, null, null, null, null, Coordinator.Contracts.Paging.MaxLimit, ct)).Items;
        Assert.Contains(audit, e => e.Event == EventName.InquiryRegistered);
        Assert.Contains(audit, e => e.Event == EventName.TokenIssued);
        Assert.Contains(audit, e => e.Event == EventName.HiddenSpaceFound);

        // Every answer above, refusals included, on the schema the document declares for its operation and status.
        await ContractTools.ValidateAsync(await _node.Http.GetStringAsync("/openapi/v1.json", ct), answers.File);
    }

    private static AssignmentRequest Assignment(string team, string sector) => new() { TeamId = team, FacilityId = "saydnaya", SectorId = sector };

    private static ReportRequest Report(string id, string sector, ReportKind kind) =>
        new() { ReportId = id, TeamId = "DOOR-1", FacilityId = "saydnaya", SectorId = sector, Kind = kind };

    private static (string Code, int Status) Code(string code, int status) => (code, status);

    /// <summary>The refusal as the generated client throws it: the problem's code and the status it came with.</summary>
    private static async Task<(string Code, int Status)> Refusal(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ApiException<ProblemView>>(call);
        Assert.Equal(refused.StatusCode, refused.Result.Status);
        return (refused.Result.Code, refused.StatusCode);
    }

    /// <summary>What the live view shows trails the acknowledgement by a moment: read again until it shows it.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited 20 s for {what}");
            await Task.Delay(50);
        }
    }
}
