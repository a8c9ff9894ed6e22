using System.CommandLine;
using Coordinator.Domain.Family;

namespace Coordinator.Cli;

public static partial class Coord
{
    private static IEnumerable<Command> FamilyCommands(LeafFactory leaf)
    {
        var id = Opt<string>("--id", "Inquiry id (made up when not given; reuse it to retry)");
        var name = Opt<string>("--name", "Full name, Arabic or Latin", required: true);
        var alt = Many("--alt", "Other spellings (repeatable)");
        var father = Opt<string>("--father", "Father's name");
        var mother = Opt<string>("--mother", "Mother's name");
        var born = Opt<int?>("--born", "Birth year");
        var town = Opt<string>("--town", "Home town");
        var lastSeen = Opt<string>("--last-seen", "Date and place last seen or detained");
        var contact = Opt<string>("--contact", "The inquirer's contact");
        yield return leaf("register", "Register a missing person's inquiry", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post("/api/inquiries", Api.Body(new InquiryRequest(
                p.GetValue(id) ?? $"inq-{DateTime.UtcNow:yyyyMMddHHmmss}-"
                    + $"{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}",
                p.GetValue(name), p.GetValue(alt) ?? [], p.GetValue(father), p.GetValue(mother), p.GetValue(born), p.GetValue(town),
                p.GetValue(lastSeen), p.GetValue(contact))), ct),
                Inquiry(c)), id, name, alt, father, mother, born, town, lastSeen, contact);

        var list = Arg("file",
            "CSV with the header id,name,altNames,fatherName,motherName,birthYear,homeTown,lastSeen,contact (other names separated by ;)");
        yield return leaf("import",
            "Register a partner's list of inquiries from a CSV file (a row registered already comes back as duplicate)", async (p, c, ct) =>
        {
            string csv;
            try { csv = await File.ReadAllTextAsync(p.GetValue(list)!, ct); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                c.Output.Error($"cannot read the list: {e.Message}");
                return ExitCode.Invalid;
            }
            return c.Output.Show<ImportReport>(await c.Api.Post("/api/inquiries/import", Api.Body(new ImportRequest(csv)), ct), r =>
            {
                c.Output.Fields(("rows", r.Rows), ("accepted", r.Accepted), ("duplicates", r.Duplicates), ("refused", r.Refused));
                c.Output.Table(r.Report.Where(x => x.Outcome == ImportOutcome.Refused),
                    ("LINE", x => $"{x.Row}"), ("ID", x => Output.Text(x.Id)), ("CODE", x => Output.Text(x.Code)),
                    ("REASON", x => Output.Text(x.Reason)));
            });
        }, list);

        var status = Opt<string>("--status", "open (default), closed or all");
        var query = Opt<string>("--query", "A name to filter by");
        var most = Most();
        yield return leaf("inquiries", "List inquiries, newest first", async (p, c, ct) =>
            c.Output.Show<InquiryView[]>(await c.Api.Walk($"/api/inquiries?status={Uri.EscapeDataString(p.GetValue(status) ?? "open")}"
                    + $"{(p.GetValue(query) is { } q ? $"&query={Uri.EscapeDataString(q)}" : "")}", p.GetValue(most), ct),
                list => c.Output.Table(list, ("ID", i => i.Id), ("NAME", i => i.Details.Name),
                    ("FATHER", i => Output.Text(i.Details.FatherName)), ("BORN", i => Output.Text(i.Details.BirthYear)),
                    ("TOWN", i => Output.Text(i.Details.HomeTown)), ("STATUS", i => $"{i.Status}"))), status, query, most);

        var inquiry = Arg("inquiry", "Inquiry id");
        yield return leaf("inquiry", "One inquiry with the desk's decisions", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get(Api.Path("api", "inquiries", p.GetValue(inquiry)!), ct), Inquiry(c)), inquiry);

        yield return leaf("candidates", "Found persons who may be the one an inquiry looks for, best first", async (p, c, ct) =>
            c.Output.Show<CandidateView[]>(await c.Api.Get(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "candidates"), ct),
                list => c.Output.Table(list,
                    ("PERSON", x => x.PersonId), ("SCORE", x => $"{x.Score}{(x.Strong ? " strong" : "")}"),
                    ("NAME", x => x.Person!.Details.Name), ("FOUND IN", x => $"{x.Person!.Facility}/{x.Person.Sector}"),
                    ("DECISION", x => Output.Text(x.Decision)), ("WHY", x => string.Join("; ", x.Reasons)))), inquiry);

        var person = Arg("person", "Person id, e.g. p-3f9a0c1d2e4b5a6c");
        var note = Opt<string>("--note", "Who recognised them, how");
        foreach (var (verb, decision) in new[] { ("confirm", MatchDecision.Confirmed), ("reject", MatchDecision.Rejected) })
            yield return leaf(verb, $"{$"{decision}"[..^2]} a candidate for an inquiry (a desk officer's decision, recorded)", async (p, c, ct) =>
                c.Output.Show(await c.Api.Post(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "matches"),
                    Api.Body(new MatchRequest(p.GetValue(person), decision, p.GetValue(note))), ct), Inquiry(c)), inquiry, person, note);

        var reason = Opt<string>("--reason", "Why", required: true);
        yield return leaf("close", "Close an inquiry", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "close"),
                Api.Body(new CloseRequest(null, p.GetValue(reason))), ct), Inquiry(c)),
            inquiry, reason);

        var search = Arg("query", "A name in any script, or a person id");
        yield return leaf("persons", "Search the persons found, best match first", async (p, c, ct) =>
            c.Output.Show<PersonView[]>(await c.Api.Walk($"/api/persons?query={Uri.EscapeDataString(p.GetValue(search)!)}", p.GetValue(most), ct),
                list => c.Output.Table(list,
                    ("PERSON", x => x.Id), ("NAME", x => x.Details.Name), ("AGE/BORN", x => Output.Text(x.Details.BirthYear ?? x.Details.Age)),
                    ("TOWN", x => Output.Text(x.Details.HomeTown)), ("FOUND IN", x => $"{x.Facility}/{x.Sector}"),
                    ("AT", x => Output.Text(x.FoundAt)))), search, most);

        var personText = Opt<string>("--person", "The corrected record: \"name=…;father=…;born=…;town=…\"", required: true);
        yield return leaf("correct", "Correct a found person's record (the original stays in the history)", async (p, c, ct) =>
        {
            if (ParsePerson(p.GetValue(personText)!) is not { } corrected)
            {
                c.Output.Error("--person: give name=… and optional father=, mother=, born=, age=, town=, condition=, taken-to= separated by ;");
                return ExitCode.Invalid;
            }
            return c.Output.Show<PersonView>(await c.Api.Post(Api.Path("api", "persons", p.GetValue(person)!, "corrections"),
                Api.Body(new CorrectionRequest(corrected, p.GetValue(reason))), ct),
                x => c.Output.Fields(("id", x.Id), ("facility", x.Facility), ("sector", x.Sector), ("corrections", x.Corrections)));
        }, person, personText, reason);

        // Erasure: leads and admins; the reason stays in the history, so it must not repeat the details.
        yield return leaf("erase-person", "Erase a found person's identifying details for good (the counts and the history stay)", async (p, c, ct) =>
            c.Output.Show<PersonView>(await c.Api.Post(Api.Path("api", "persons", p.GetValue(person)!, "erase"),
                Api.Body(new EraseRequest(p.GetValue(reason))), ct),
                x => c.Output.Fields(("id", x.Id), ("facility", x.Facility), ("sector", x.Sector), ("erased", x.Erased))), person, reason);
        yield return leaf("erase-inquiry", "Erase an inquiry's identifying details (the family's contact included) for good", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "erase"),
                Api.Body(new EraseRequest(p.GetValue(reason))), ct), Inquiry(c)),
            inquiry, reason);

        var what = Arg("what", "matches (confirmed) or inquiries (open)");
        var output = Opt<string>("--out", "Write to this file instead of the screen");
        yield return leaf("export", "CSV for tracing agencies: confirmed matches or open inquiries", async (p, c, ct) =>
        {
            if (p.GetValue(what) is not ("matches" or "inquiries"))
            {
                c.Output.Error("export matches or export inquiries");
                return ExitCode.Invalid;
            }
            var answer = await c.Api.Get($"/api/family/export/{p.GetValue(what)}.csv", ct);
            if (!answer.Ok) return c.Output.Problem(answer);
            var csv = answer.Body!.GetValue<string>();
            if (p.GetValue(output) is { } file) await File.WriteAllTextAsync(file, csv, ct);
            else await c.Output.Out.WriteAsync(csv);
            return ExitCode.Ok;
        }, what, output);
    }

    private static Action<InquiryView> Inquiry(Context c) => i =>
    {
        c.Output.Fields(("id", i.Id), ("status", i.Status), ("closedReason", i.ClosedReason));
        var details = i.Details;
        c.Output.Fields(("name", details.Name), ("fatherName", details.FatherName), ("motherName", details.MotherName),
            ("birthYear", details.BirthYear), ("homeTown", details.HomeTown), ("lastSeen", details.LastSeen), ("contact", details.Contact));
        if (i.Decisions is { Count: > 0 })
            c.Output.Table(i.Decisions, ("PERSON", d => d.PersonId), ("DECISION", d => $"{d.Decision}"), ("NOTE", d => Output.Text(d.Note)),
                ("BY", d => d.By));
    };
}
