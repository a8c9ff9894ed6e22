using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Coordinator.Benchmarks;

/// <summary>
/// A phone surfaces with a full outbox: how long until every queued report is recorded, over a slow link
/// (Chromium's network emulation: round-trip latency and throughput). The field app's outbox sends them as one
/// batch; the baseline sends the same kind of reports one request at a time, as `coord` used to, in the same run.
/// </summary>
public static class FieldOutbox
{
    public sealed record Options(int Reports, int LatencyMs, int KilobitsPerSecond, int BaselineReports);

    public static async Task<int> RunAsync(Options o)
    {
        var folder = Directory.CreateTempSubdirectory("coord-outbox-").FullName;
        var (app, http) = await Scale.StartAsync(folder, port: 0);
        try
        {
            await Send(http.PostAsJsonAsync("/api/facilities", new { id = "adra", name = "Adra" }));
            await Send(http.PutAsJsonAsync("/api/facilities/adra/layout",
                new
                {
                    sectors = new object[] { new { id = "B1", kind = "Level" }, new { id = "B1-1", parent = "B1", kind = "Cell" },
                        new { id = "B1-2", parent = "B1", kind = "Cell" } }
                }));
            await Send(http.PostAsJsonAsync("/api/teams",
                new { id = "SAR-1", callSign = "Sierra One", size = 4, capabilities = new[] { "Search" } }));
            await Send(http.PostAsJsonAsync("/api/assignments", new { teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1" }));
            var code = (string)JsonNode.Parse(await (await Send(http.PostAsJsonAsync("/api/enrolments", new { team = "SAR-1" })))
                .Content.ReadAsStringAsync())!["code"]!;

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
            });
            var context = await browser.NewContextAsync(
                new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
            var phone = await context.NewPageAsync();
            await phone.GotoAsync(new Uri(http.BaseAddress!, "/field/").ToString());
            await phone.FillAsync("#enrol-code", code);
            await phone.ClickAsync("#enrol-form button[type=submit]");
            await phone.Locator("#main").WaitForAsync();
            var network = await context.NewCDPSessionAsync(phone);
            async Task Link(bool offline) => await network.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = offline,
                ["latency"] = o.LatencyMs,
                ["downloadThroughput"] = o.KilobitsPerSecond * 1000 / 8,
                ["uploadThroughput"] = o.KilobitsPerSecond * 1000 / 8,
            });

            // Underground: the reports are made through the app's own outbox, as its forms do.
            await Link(offline: true);
            await phone.EvaluateAsync("""
                async (n) => {
                  const outbox = await import("/field/outbox.js");
                  const report = (kind, extra) =>
                    ({ reportId: outbox.newReportId("SAR-1"), teamId: "SAR-1", facilityId: "adra", sectorId: "B1-1", kind, ...extra });
                  await outbox.add(report("Entered"));
                  for (let i = 0; i < n - 2; i++) await outbox.add(report("PersonsFound", { alive: 1, details: `person ${i + 1}` }));
                  await outbox.add(report("Cleared", { method: "Visual" }));
                }
                """, o.Reports);
            await Link(offline: false);
            var batchMs = await phone.EvaluateAsync<double>("""
                async () => {
                  const outbox = await import("/field/outbox.js");
                  const started = performance.now();
                  outbox.kick();
                  while ((await outbox.all()).some((r) => r.state === "waiting")) await new Promise((r) => setTimeout(r, 10));
                  return performance.now() - started;
                }
                """);
            var sector = JsonNode.Parse(await http.GetStringAsync("/api/facilities/adra/sectors/B1-1"))!;
            var history = JsonNode.Parse(await http.GetStringAsync("/api/facilities/adra/sectors/B1-1/history?limit=1000"))!["items"]!.AsArray()
                .Select(h => (string)h!["event"]!).ToList();
            var inOrder = history.IndexOf("SectorEntered") < history.IndexOf("PersonsFound")
                && history.LastIndexOf("PersonsFound") < history.IndexOf("SectorCleared");
            var appliedOnce = history.Count(e => e == "PersonsFound") == o.Reports - 2 && (int)sector["personsAlive"]! == o.Reports - 2;

            // The baseline: the same link, one report per request, each waiting for its answer.
            await Send(http.PostAsJsonAsync("/api/assignments", new { teamId = "SAR-1", facilityId = "adra", sectorId = "B1-2" }));
            var oneByOneMs = await phone.EvaluateAsync<double>("""
                async (n) => {
                  const { getSetting } = await import("/field/store.js");
                  const { token } = await getSetting("session");
                  const started = performance.now();
                  for (let i = 0; i < n; i++) {
                    const body = i === 0 ? { kind: "Entered" } : { kind: "PersonsFound", alive: 1 };
                    const r = await fetch("/api/reports", {
                      method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
                      body: JSON.stringify({ reportId: `one-${i}`, teamId: "SAR-1", facilityId: "adra", sectorId: "B1-2", ...body }) });
                    if (!r.ok) throw new Error(`report ${i}: ${r.status}`);
                  }
                  return performance.now() - started;
                }
                """, o.BaselineReports);

            Console.WriteLine();
            Console.WriteLine($"| figure | value |");
            Console.WriteLine("| --- | --- |");
            Console.WriteLine($"| link | {o.LatencyMs} ms round trip, {o.KilobitsPerSecond} kbit/s each way (Chromium network emulation) |");
            Console.WriteLine($"| queued reports delivered by the field app's outbox (batch) | {o.Reports} in {batchMs / 1000:0.00} s |");
            Console.WriteLine($"| applied once each, in order (sector history) | {(appliedOnce && inOrder ? "yes" : "NO")} |");
            Console.WriteLine($"| baseline: one request per report | {o.BaselineReports} in {oneByOneMs / 1000:0.00} s " +
                $"({oneByOneMs / o.BaselineReports:0} ms each; {o.Reports} would take {oneByOneMs / o.BaselineReports * o.Reports / 1000:0.0} s) |");
            return appliedOnce && inOrder ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<HttpResponseMessage> Send(Task<HttpResponseMessage> request)
    {
        var response = await request;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} " +
                $"{await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
