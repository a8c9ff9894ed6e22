using System.Text.Json.Nodes;
using Akka.Actor;
using Coordinator.Node.Family;
using Coordinator.Node.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Node.Tests;

/// <summary>The retention of closed inquiries on a real node, with a retention of a second; one per cluster (a singleton).</summary>
public class InquiryRetentionTests
{
    [Fact]
    public async Task A_closed_inquiry_past_its_retention_is_erased_and_an_open_one_is_not()
    {
        await using var node = await NodeUnderTest.StartAsync("--Coordinator:Family:RetainClosedInquiries=00:00:01",
            "--Coordinator:Family:RetentionCheckEvery=00:00:00.200");
        Assert.Equal(201, (await node.Post("/api/inquiries",
            new { id = "inq-closed", name = "Youssef Khalil Haddad", contact = "+90 555 0100" })).Status);
        Assert.Equal(201, (await node.Post("/api/inquiries", new { id = "inq-open", name = "Mohamed Ahmad Halabi" })).Status);
        Assert.Equal(200, (await node.Post("/api/inquiries/inq-closed/close", new { reason = "found alive, family informed" })).Status);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonNode closed;
        while (!(bool)(closed = (await node.Get("/api/inquiries/inq-closed")).Body!)["erased"]!)
        {
            Assert.True(DateTime.UtcNow < deadline, $"never erased: {closed.ToJsonString()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal("[erased]", (string)closed["details"]!["name"]!);
        Assert.Equal("Closed", (string)closed["status"]!);
        Assert.Equal("Mohamed Ahmad Halabi", (string)(await node.Get("/api/inquiries/inq-open")).Body!["details"]!["name"]!);

        // Erased once, by the system, for the stated reason, however many checks (or nodes) saw it due.
        var audit = await node.All("/api/audit");
        var erasures = audit.Where(e => (string)e!["event"]! == "InquiryDetailsErased").ToList();
        Assert.Single(erasures);
        Assert.Equal(("retention", "system"), ((string)erasures[0]!["data"]!["reason"]!, (string)erasures[0]!["by"]!));

        // It was the cluster's one retention that erased it: the singleton runs under its manager on this (the oldest) node.
        var system = node.Services.GetRequiredService<ActorSystem>();
        var singleton = await system.ActorSelection($"/user/{InquiryRetention.SingletonName}/{InquiryRetention.SingletonName}")
            .ResolveOne(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(InquiryRetention.SingletonName, singleton.Path.Parent.Name);
    }
}
