using System.CommandLine;
using System.Text.Json.Nodes;

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
            c.Output.Show(await c.Api.Post("/api/inquiries", new JsonObject
            {
                ["id"] = p.GetValue(id) ?? $"inq-{DateTime.UtcNow:yyyyMMddHHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}",
                ["name"] = p.GetValue(name),
                ["altNames"] = Array(p.GetValue(alt)),
                ["fatherName"] = p.GetValue(father),
                ["motherName"] = p.GetValue(mother),
                ["birthYear"] = p.GetValue(born),
                ["homeTown"] = p.GetValue(town),
                ["lastSeen"] = p.GetValue(lastSeen),
                ["contact"] = p.GetValue(contact),
            }, ct), Inquiry(c)), id, name, alt, father, mother, born, town, lastSeen, contact);

        var list = Arg("file", "CSV with the header id,name,altNames,fatherName,motherName,birthYear,homeTown,lastSeen,contact (other names separated by ;)");
        yield return leaf("import", "Register a partner's list of inquiries from a CSV file (a row registered already comes back as duplicate)", async (p, c, ct) =>
        {
            string csv;
            try { csv = await File.ReadAllTextAsync(p.GetValue(list)!, ct); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                c.Output.Error($"cannot read the list: {e.Message}");
                return ExitCode.Invalid;
            }
            return c.Output.Show(await c.Api.Post("/api/inquiries/import", new JsonObject { ["csv"] = csv }, ct), r =>
            {
                c.Output.Fields(r, "rows", "accepted", "duplicates", "refused");
                c.Output.Table(r["report"]!.AsArray().Where(x => (string)x!["outcome"]! == "refused"),
                    ("LINE", x => Output.Text(x["row"])), ("ID", x => Output.Text(x["id"])), ("CODE", x => Output.Text(x["code"])), ("REASON", x => Output.Text(x["reason"])));
            });
        }, list);

        var status = Opt<string>("--status", "open (default), closed or all");
        var query = Opt<string>("--query", "A name to filter by");
        yield return leaf("inquiries", "List inquiries", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get($"/api/inquiries?status={Uri.EscapeDataString(p.GetValue(status) ?? "open")}{(p.GetValue(query) is { } q ? $"&query={Uri.EscapeDataString(q)}" : "")}", ct),
                list => c.Output.Table(list.AsArray(), ("ID", i => (string)i["id"]!), ("NAME", i => (string)i["details"]!["name"]!),
                    ("FATHER", i => Output.Text(i["details"]!["fatherName"])), ("BORN", i => Output.Text(i["details"]!["birthYear"])),
                    ("TOWN", i => Output.Text(i["details"]!["homeTown"])), ("STATUS", i => (string)i["status"]!))), status, query);

        var inquiry = Arg("inquiry", "Inquiry id");
        yield return leaf("inquiry", "One inquiry with the desk's decisions", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get(Api.Path("api", "inquiries", p.GetValue(inquiry)!), ct), Inquiry(c)), inquiry);

        yield return leaf("candidates", "Found persons who may be the one an inquiry looks for, best first", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "candidates"), ct), list => c.Output.Table(list.AsArray(),
                ("PERSON", x => (string)x["personId"]!), ("SCORE", x => $"{x["score"]}{((bool)x["strong"]! ? " strong" : "")}"),
                ("NAME", x => (string)x["person"]!["details"]!["name"]!), ("FOUND IN", x => $"{x["person"]!["facility"]}/{x["person"]!["sector"]}"),
                ("DECISION", x => Output.Text(x["decision"])), ("WHY", x => string.Join("; ", x["reasons"]!.AsArray().Select(r => (string)r!))))), inquiry);

        var person = Arg("person", "Person id, e.g. p-3f9a0c1d2e4b5a6c");
        var note = Opt<string>("--note", "Who recognised them, how");
        foreach (var (verb, decision) in new[] { ("confirm", "Confirmed"), ("reject", "Rejected") })
            yield return leaf(verb, $"{decision[..^2]} a candidate for an inquiry (a desk officer's decision, recorded)", async (p, c, ct) =>
                c.Output.Show(await c.Api.Post(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "matches"),
                    new JsonObject { ["personId"] = p.GetValue(person), ["decision"] = decision, ["note"] = p.GetValue(note) }, ct), Inquiry(c)), inquiry, person, note);

        var reason = Opt<string>("--reason", "Why", required: true);
        yield return leaf("close", "Close an inquiry", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "close"), new JsonObject { ["reason"] = p.GetValue(reason) }, ct), Inquiry(c)),
            inquiry, reason);

        var search = Arg("query", "A name in any script, or a person id");
        yield return leaf("persons", "Search the persons found", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get($"/api/persons?query={Uri.EscapeDataString(p.GetValue(search)!)}", ct), list => c.Output.Table(list.AsArray(),
                ("PERSON", x => (string)x["id"]!), ("NAME", x => (string)x["details"]!["name"]!), ("AGE/BORN", x => Output.Text(x["details"]!["birthYear"] ?? x["details"]!["age"])),
                ("TOWN", x => Output.Text(x["details"]!["homeTown"])), ("FOUND IN", x => $"{x["facility"]}/{x["sector"]}"), ("AT", x => (string)x["foundAt"]!))), search);

        var personText = Opt<string>("--person", "The corrected record: \"name=…;father=…;born=…;town=…\"", required: true);
        yield return leaf("correct", "Correct a found person's record (the original stays in the history)", async (p, c, ct) =>
        {
            if (ParsePerson(p.GetValue(personText)!) is not { } corrected)
            {
                c.Output.Error("--person: give name=… and optional father=, mother=, born=, age=, town=, condition=, taken-to= separated by ;");
                return ExitCode.Invalid;
            }
            return c.Output.Show(await c.Api.Post(Api.Path("api", "persons", p.GetValue(person)!, "corrections"),
                new JsonObject { ["person"] = corrected, ["reason"] = p.GetValue(reason) }, ct), x => c.Output.Fields(x, "id", "facility", "sector", "corrections"));
        }, person, personText, reason);

        // Erasure: leads and admins; the reason stays in the history, so it must not repeat the details.
        yield return leaf("erase-person", "Erase a found person's identifying details for good (the counts and the history stay)", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post(Api.Path("api", "persons", p.GetValue(person)!, "erase"), new JsonObject { ["reason"] = p.GetValue(reason) }, ct),
                x => c.Output.Fields(x, "id", "facility", "sector", "erased")), person, reason);
        yield return leaf("erase-inquiry", "Erase an inquiry's identifying details (the family's contact included) for good", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post(Api.Path("api", "inquiries", p.GetValue(inquiry)!, "erase"), new JsonObject { ["reason"] = p.GetValue(reason) }, ct), Inquiry(c)),
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

    private static Action<JsonNode> Inquiry(Context c) => i =>
    {
        c.Output.Fields(i, "id", "status", "closedReason");
        c.Output.Fields(i["details"]!, "name", "fatherName", "motherName", "birthYear", "homeTown", "lastSeen", "contact");
        if (i["decisions"] is JsonArray { Count: > 0 } decisions)
            c.Output.Table(decisions, ("PERSON", d => (string)d["personId"]!), ("DECISION", d => (string)d["decision"]!), ("NOTE", d => Output.Text(d["note"])), ("BY", d => (string)d["by"]!));
    };
}
